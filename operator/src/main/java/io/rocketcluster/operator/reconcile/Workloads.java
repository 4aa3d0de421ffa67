package io.rocketcluster.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.rocketcluster.operator.model.BrokerConf;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** Readiness of the workloads as their controllers report it, and the applied-object hash. */
public final class Workloads {
    /** Annotation with a hash of what the operator last applied; equal hash = nothing to apply. */
    public static final String APPLIED_HASH = "rocketcluster.io/applied-hash";
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private Workloads() {
    }

    /** A StatefulSet is ready when its controller has rolled out the current spec and every replica is ready. */
    public static boolean ready(StatefulSet s) {
        StatefulSetStatus st = s.getStatus();
        if (st == null || st.getObservedGeneration() == null || s.getMetadata().getGeneration() == null
                || st.getObservedGeneration() < s.getMetadata().getGeneration()) {
            return false;
        }
        int want = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
        return nz(st.getReadyReplicas()) >= want && nz(st.getUpdatedReplicas()) >= want
                && (st.getUpdateRevision() == null || Objects.equals(st.getCurrentRevision(), st.getUpdateRevision()));
    }

    /**
     * True while the controller is rolling {@code s} to a new spec: it has not observed the current
     * generation yet, or its pods are not all on the update revision (the controller moves
     * currentRevision to updateRevision only once every pod is updated and ready). False for a first start.
     */
    public static boolean rollingOut(StatefulSet s) {
        StatefulSetStatus st = s.getStatus();
        if (st == null) {
            return false;
        }
        Long gen = s.getMetadata().getGeneration();
        return gen != null && st.getObservedGeneration() != null && st.getObservedGeneration() < gen
                || st.getUpdateRevision() != null && !Objects.equals(st.getCurrentRevision(), st.getUpdateRevision());
    }

    public static boolean ready(Deployment d) {
        DeploymentStatus st = d.getStatus();
        if (st == null || st.getObservedGeneration() == null || d.getMetadata().getGeneration() == null
                || st.getObservedGeneration() < d.getMetadata().getGeneration()) {
            return false;
        }
        int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        // status.replicas counts old pods too: equal to the updated and available ones = rollout done
        return nz(st.getUpdatedReplicas()) >= want && nz(st.getAvailableReplicas()) >= want
                && nz(st.getReadyReplicas()) >= want && nz(st.getReplicas()) == nz(st.getUpdatedReplicas());
    }

    /** Stamps {@code desired} with the hash of its own content (before the stamp). */
    public static <T extends HasMetadata> T stamp(T desired) {
        String hash = BrokerConf.hash(JSON.asJson(desired));
        Map<String, String> ann = desired.getMetadata().getAnnotations() == null
                ? new HashMap<>() : new HashMap<>(desired.getMetadata().getAnnotations());
        ann.put(APPLIED_HASH, hash);
        desired.getMetadata().setAnnotations(ann);
        return desired;
    }

    public static String appliedHash(HasMetadata o) {
        return o == null || o.getMetadata().getAnnotations() == null ? null : o.getMetadata().getAnnotations().get(APPLIED_HASH);
    }

    /** True when {@code existing} was applied from the same desired content as the stamped {@code desired}. */
    public static boolean upToDate(HasMetadata existing, HasMetadata stampedDesired) {
        String h = appliedHash(existing);
        return h != null && h.equals(appliedHash(stampedDesired))
                && Objects.equals(replicas(existing), replicas(stampedDesired)); // e.g. kubectl scale
    }

    private static Integer replicas(HasMetadata o) {
        if (o instanceof StatefulSet s) {
            return s.getSpec().getReplicas();
        }
        if (o instanceof Deployment d) {
            return d.getSpec().getReplicas();
        }
        return null;
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }
}
