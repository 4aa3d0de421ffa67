package io.rocketcluster.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.rocketcluster.operator.crd.RocketCluster;
import io.rocketcluster.operator.crd.RocketClusterStatus;
import io.rocketcluster.operator.crd.RocketClusterStatus.BrokerGroupStatus;
import io.rocketcluster.operator.model.ClusterModel;
import io.rocketcluster.operator.model.Names;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Builds the status a reconcile leaves behind (pure: no API calls). */
public final class StatusBuilder {
    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";

    private StatusBuilder() {
    }

    /** What the reconcile saw and did, as input to the status. */
    public record Observed(ClusterModel model, Map<String, StatefulSet> statefulSets, Deployment nameServer,
                           Rollout rollout, Map<String, Drain> draining, Map<String, String> groupNotes,
                           Map<String, String> stillReadOnly) {
    }

    /** A group scale-in keeps: why, and since when it is read-only. */
    public record Drain(String message, String since) {
    }

    /** The status for a spec the operator refused; the children are left as they are. */
    public static RocketClusterStatus invalid(RocketCluster cr, List<String> problems) {
        RocketClusterStatus s = base(cr);
        String msg = String.join("; ", problems);
        s.setConditions(conditions(cr, cond(READY, false, "InvalidSpec", msg),
                cond(PROGRESSING, false, "InvalidSpec", "nothing is applied until the spec is fixed"),
                cond(DEGRADED, true, "InvalidSpec", msg)));
        RocketClusterStatus old = cr.getStatus();
        if (old != null) {
            s.setBrokerGroups(old.getBrokerGroups());
            s.setReadyGroups(old.getReadyGroups());
        }
        return s;
    }

    /** The status after a failed reconcile: the last one, with Degraded set to the failure. */
    public static RocketClusterStatus failed(RocketCluster cr, String message) {
        RocketClusterStatus s = base(cr);
        RocketClusterStatus old = cr.getStatus();
        Condition ready = old == null ? null : old.condition(READY);
        Condition progressing = old == null ? null : old.condition(PROGRESSING);
        if (old != null) {
            s.setObservedGeneration(old.getObservedGeneration());
            s.setBrokerGroups(old.getBrokerGroups());
            s.setReadyGroups(old.getReadyGroups());
        }
        s.setConditions(conditions(cr,
                ready != null ? copy(ready) : cond(READY, false, "ReconcileFailed", message),
                progressing != null ? copy(progressing) : cond(PROGRESSING, true, "ReconcileFailed", message),
                cond(DEGRADED, true, "ReconcileFailed", message)));
        return s;
    }

    private static Condition copy(Condition c) {
        return cond(c.getType(), "True".equals(c.getStatus()), c.getReason(), c.getMessage());
    }

    public static RocketClusterStatus of(RocketCluster cr, Observed o) {
        RocketClusterStatus s = base(cr);
        Rollout r = o.rollout();
        int ready = 0;
        List<BrokerGroupStatus> groups = new ArrayList<>();
        for (ClusterModel.Group g : o.model().groups()) {
            BrokerGroupStatus gs = new BrokerGroupStatus();
            gs.setBrokerName(g.brokerName());
            int slaves = g.rolloutOrder().size() - 1;
            int readySlaves = 0;
            boolean masterReady = false;
            boolean rolling = false;
            for (StatefulSet want : g.rolloutOrder()) {
                StatefulSet have = o.statefulSets().get(want.getMetadata().getName());
                boolean ok = have != null && Workloads.upToDate(have, want) && Workloads.ready(have);
                String name = want.getMetadata().getName();
                rolling |= name.equals(r.waitingFor()) && have != null
                        && (!Workloads.upToDate(have, want) || Workloads.rollingOut(have))
                        || r.pending().contains(name);
                if (want == g.master()) {
                    masterReady = ok;
                } else if (ok) {
                    readySlaves++;
                }
            }
            gs.setSlaves(slaves);
            gs.setReadySlaves(readySlaves);
            gs.setMasterReady(masterReady);
            gs.setReady(masterReady && readySlaves == slaves);
            gs.setPhase(gs.isReady() ? "Running" : rolling ? "RollingOut" : "Pending");
            gs.setMessage(o.groupNotes().get(g.brokerName()));
            gs.setDrainingSince(o.stillReadOnly().get(g.brokerName()));
            if (gs.isReady()) {
                ready++;
            }
            groups.add(gs);
        }
        o.draining().forEach((brokerName, drain) -> {
            BrokerGroupStatus gs = new BrokerGroupStatus();
            gs.setBrokerName(brokerName);
            gs.setPhase("Draining");
            gs.setMessage(drain.message());
            gs.setDrainingSince(drain.since());
            groups.add(gs);
        });
        s.setBrokerGroups(groups);
        int desired = o.model().groups().size();
        s.setReadyGroups(ready + "/" + desired);
        boolean nsReady = o.nameServer() != null && Workloads.ready(o.nameServer());
        boolean allReady = nsReady && ready == desired && !r.inProgress() && r.pending().isEmpty();

        String notReady = !nsReady ? "nameservers not ready" : ready < desired ? (desired - ready) + " of "
                + desired + " broker groups not ready" : "";
        Condition readyC;
        Condition progressing;
        if (!r.pending().isEmpty() || isChange(r, o)) {
            String msg = "rolling out: waiting for " + r.waitingFor() + " to be ready"
                    + (r.pending().isEmpty() ? "" : "; next: " + String.join(", ", r.pending()));
            readyC = cond(READY, false, "RollingOut", msg);
            progressing = cond(PROGRESSING, true, "RollingOut", msg);
        } else if (!allReady) {
            readyC = cond(READY, false, "NotReady", notReady.isEmpty() ? "waiting for " + r.waitingFor() : notReady);
            progressing = cond(PROGRESSING, true, "Starting", readyC.getMessage());
        } else if (!o.draining().isEmpty()) {
            readyC = cond(READY, true, "Ready", "all " + desired + " broker groups and the nameservers are ready");
            progressing = cond(PROGRESSING, true, "ScaleInWaiting", "removing " + String.join(", ", o.draining().keySet()));
        } else {
            readyC = cond(READY, true, "Ready", "all " + desired + " broker groups and the nameservers are ready");
            progressing = cond(PROGRESSING, false, "Settled", "the cluster matches its spec");
        }
        Condition degraded = o.draining().isEmpty()
                ? cond(DEGRADED, false, "AsExpected", "")
                : cond(DEGRADED, true, "ScaleInBlocked",
                        String.join("; ", o.draining().values().stream().map(Drain::message).toList()));
        s.setConditions(conditions(cr, readyC, progressing, degraded));
        return s;
    }

    /** True when the StatefulSet waited for is being changed: applied now, or its pods still rolling (not a first start). */
    private static boolean isChange(Rollout r, Observed o) {
        StatefulSet have = r.waitingFor() == null ? null : o.statefulSets().get(r.waitingFor());
        return have != null && (Workloads.rollingOut(have)
                || r.apply().stream().anyMatch(a -> a.getMetadata().getName().equals(r.waitingFor())));
    }

    private static RocketClusterStatus base(RocketCluster cr) {
        RocketClusterStatus s = new RocketClusterStatus();
        Names n = new Names(cr);
        s.setObservedGeneration(cr.getMetadata().getGeneration());
        s.setNameServerAddress(n.nameServerAddress());
        if (cr.getSpec().getExternalAccess().enabled()) {
            s.setExternalNameServerAddress(cr.getSpec().getExternalAccess().getAdvertisedHost() + ":"
                    + cr.getSpec().getExternalAccess().getNameServerNodePort());
        }
        return s;
    }

    private static Condition cond(String type, boolean status, String reason, String message) {
        return new ConditionBuilder().withType(type).withStatus(status ? "True" : "False")
                .withReason(reason).withMessage(message).build();
    }

    /** Sets observedGeneration, and keeps lastTransitionTime unless the condition's status changed. */
    private static List<Condition> conditions(RocketCluster cr, Condition... cs) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<Condition> out = new ArrayList<>();
        for (Condition c : cs) {
            Condition old = cr.getStatus() == null ? null : cr.getStatus().condition(c.getType());
            c.setObservedGeneration(cr.getMetadata().getGeneration());
            c.setLastTransitionTime(old != null && Objects.equals(old.getStatus(), c.getStatus())
                    && old.getLastTransitionTime() != null ? old.getLastTransitionTime() : now);
            out.add(c);
        }
        return out;
    }

    /** Field-by-field equality, to skip status writes that would change nothing. */
    public static boolean same(RocketClusterStatus a, RocketClusterStatus b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
                && Objects.equals(a.getConditions(), b.getConditions())
                && Objects.equals(a.getNameServerAddress(), b.getNameServerAddress())
                && Objects.equals(a.getExternalNameServerAddress(), b.getExternalNameServerAddress())
                && Objects.equals(a.getReadyGroups(), b.getReadyGroups())
                && Objects.equals(a.getBrokerGroups(), b.getBrokerGroups());
    }
}
