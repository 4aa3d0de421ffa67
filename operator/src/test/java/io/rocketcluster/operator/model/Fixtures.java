package io.rocketcluster.operator.model;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.rocketcluster.operator.crd.RocketCluster;
import io.rocketcluster.operator.crd.RocketClusterSpec;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/** Test data for the model, rollout and status tests: RocketCluster objects and faked controller status. */
public final class Fixtures {
    public static final String NAME = "demo";
    public static final String NS = "mq";

    private Fixtures() {
    }

    /** A RocketCluster "demo" in namespace "mq", generation 1, with the default spec. */
    public static RocketCluster cluster() {
        return cluster(NAME);
    }

    public static RocketCluster cluster(String name) {
        RocketCluster cr = new RocketCluster();
        cr.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).withGeneration(1L)
                .withUid("0000-uid-" + name).build());
        cr.setSpec(new RocketClusterSpec());
        return cr;
    }

    public static ResourceRequirements memoryLimit(String memory) {
        return new ResourceRequirementsBuilder().addToLimits("memory", new Quantity(memory)).build();
    }

    public static ResourceRequirements memoryRequest(String memory) {
        return new ResourceRequirementsBuilder().addToRequests("memory", new Quantity(memory)).build();
    }

    /** broker.conf text parsed the way the broker reads it (java.util.Properties). */
    public static Properties parse(String conf) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(conf));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The config-hash annotation of a broker StatefulSet's pod template. */
    public static String configHash(StatefulSet s) {
        Map<String, String> ann = s.getSpec().getTemplate().getMetadata().getAnnotations();
        return ann == null ? null : ann.get(Labels.CONFIG_HASH);
    }

    /**
     * What the StatefulSet controller reports once it has rolled out generation {@code generation}
     * and the pod is ready ({@code ready}) or not.
     */
    public static StatefulSet withStatus(StatefulSet s, long generation, boolean ready) {
        s.getMetadata().setGeneration(generation);
        int replicas = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
        s.setStatus(new StatefulSetStatusBuilder()
                .withObservedGeneration(generation)
                .withReplicas(replicas)
                .withReadyReplicas(ready ? replicas : 0)
                .withAvailableReplicas(ready ? replicas : 0)
                .withUpdatedReplicas(replicas)
                .withCurrentReplicas(replicas)
                .withCurrentRevision(s.getMetadata().getName() + "-rev1")
                .withUpdateRevision(s.getMetadata().getName() + "-rev1")
                .build());
        return s;
    }

    /** A StatefulSet whose controller is still rolling its pod to a new revision. */
    public static StatefulSet rollingOut(StatefulSet s, long generation) {
        withStatus(s, generation, false);
        s.getStatus().setUpdatedReplicas(0);
        s.getStatus().setUpdateRevision(s.getMetadata().getName() + "-rev2");
        return s;
    }

    public static Deployment withStatus(Deployment d, long generation, boolean ready) {
        d.getMetadata().setGeneration(generation);
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        d.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(generation)
                .withReplicas(replicas)
                .withReadyReplicas(ready ? replicas : 0)
                .withAvailableReplicas(ready ? replicas : 0)
                .withUpdatedReplicas(replicas)
                .build());
        return d;
    }
}
