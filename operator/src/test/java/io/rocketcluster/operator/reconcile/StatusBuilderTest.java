package io.rocketcluster.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.rocketcluster.operator.crd.ExternalAccessSpec;
import io.rocketcluster.operator.crd.RocketCluster;
import io.rocketcluster.operator.crd.RocketClusterStatus;
import io.rocketcluster.operator.crd.RocketClusterStatus.BrokerGroupStatus;
import io.rocketcluster.operator.model.ClusterModel;
import io.rocketcluster.operator.model.NameServerModel;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.rocketcluster.operator.model.Fixtures.cluster;
import static io.rocketcluster.operator.model.Fixtures.rollingOut;
import static io.rocketcluster.operator.model.Fixtures.withStatus;
import static org.assertj.core.api.Assertions.assertThat;

class StatusBuilderTest {
    private static final String OLD = "2020-01-01T00:00:00Z";
    private static final String S1 = "demo-broker-0-slave-1";
    private static final String M0 = "demo-broker-0-master";

    private static RocketCluster cr(int groups) {
        RocketCluster cr = cluster();
        cr.getMetadata().setGeneration(3L);
        cr.getSpec().getBroker().setGroups(groups);
        return cr;
    }

    private static RocketCluster changed(int groups) {
        RocketCluster cr = cr(groups);
        cr.getMetadata().setGeneration(4L);
        cr.getSpec().getBroker().getConfig().put("deleteWhen", "02");
        return cr;
    }

    /** Stamped StatefulSets of {@code cr} as the API server holds them once applied and ready. */
    private static Map<String, StatefulSet> settled(RocketCluster cr) {
        Map<String, StatefulSet> m = new LinkedHashMap<>();
        for (ClusterModel.Group g : ClusterModel.of(cr).groups()) {
            for (StatefulSet s : g.rolloutOrder()) {
                m.put(s.getMetadata().getName(), withStatus(Workloads.stamp(s), 1, true));
            }
        }
        return m;
    }

    private static StatefulSet stamped(RocketCluster cr, String name) {
        return ClusterModel.of(cr).groups().stream().flatMap(g -> g.rolloutOrder().stream())
                .filter(s -> s.getMetadata().getName().equals(name)).map(Workloads::stamp).findFirst().orElseThrow();
    }

    private static Deployment nameServer(RocketCluster cr, boolean ready) {
        return withStatus(NameServerModel.deployment(cr), 1, ready);
    }

    /** What a reconcile of {@code cr} sees: the model stamped in place (as the reconciler does), the plan. */
    private static StatusBuilder.Observed observe(RocketCluster cr, Map<String, StatefulSet> existing, Deployment ns,
                                                  Map<String, String> draining) {
        return observe(cr, existing, ns, draining, Map.of());
    }

    private static StatusBuilder.Observed observe(RocketCluster cr, Map<String, StatefulSet> existing, Deployment ns,
                                                  Map<String, String> draining, Map<String, String> groupNotes) {
        ClusterModel model = ClusterModel.of(cr);
        List<StatefulSet> order = model.groups().stream().flatMap(g -> g.rolloutOrder().stream())
                .map(Workloads::stamp).toList();
        Map<String, StatusBuilder.Drain> drains = new java.util.LinkedHashMap<>();
        draining.forEach((group, why) -> drains.put(group, new StatusBuilder.Drain(why, "2026-01-01T00:00:00Z")));
        return new StatusBuilder.Observed(model, existing, ns, Rollout.plan(order, existing), drains,
                groupNotes, Map.of());
    }

    private static Condition cond(RocketClusterStatus s, String type) {
        Condition c = s.condition(type);
        assertThat(c).as(type).isNotNull();
        return c;
    }

    private static void assertCondition(RocketClusterStatus s, String type, String status, String reason) {
        Condition c = cond(s, type);
        assertThat(c.getStatus()).as(type + " status").isEqualTo(status);
        assertThat(c.getReason()).as(type + " reason").isEqualTo(reason);
    }

    private static RocketClusterStatus settledStatus(RocketCluster cr) {
        return StatusBuilder.of(cr, observe(cr, settled(cr), nameServer(cr, true), Map.of()));
    }

    @Test
    void settledReadyCluster() {
        RocketCluster cr = cr(2);
        RocketClusterStatus s = settledStatus(cr);

        assertThat(s.getConditions()).extracting(Condition::getType).containsExactly("Ready", "Progressing", "Degraded");
        assertCondition(s, "Ready", "True", "Ready");
        assertThat(cond(s, "Ready").getMessage()).isEqualTo("all 2 broker groups and the nameservers are ready");
        assertCondition(s, "Progressing", "False", "Settled");
        assertCondition(s, "Degraded", "False", "AsExpected");
        assertThat(s.getReadyGroups()).isEqualTo("2/2");
        assertThat(s.getObservedGeneration()).isEqualTo(3L);
        assertThat(s.getConditions()).allSatisfy(c -> {
            assertThat(c.getObservedGeneration()).isEqualTo(3L);
            assertThat(c.getLastTransitionTime()).isNotBlank();
        });
        assertThat(s.getNameServerAddress()).isEqualTo("demo-namesrv.mq.svc.cluster.local:9876");
        assertThat(s.getExternalNameServerAddress()).isNull();

        assertThat(s.getBrokerGroups()).extracting(BrokerGroupStatus::getBrokerName).containsExactly("broker-0", "broker-1");
        assertThat(s.getBrokerGroups()).allSatisfy(g -> {
            assertThat(g.getPhase()).isEqualTo("Running");
            assertThat(g.isReady()).isTrue();
            assertThat(g.isMasterReady()).isTrue();
            assertThat(g.getSlaves()).isEqualTo(1);
            assertThat(g.getReadySlaves()).isEqualTo(1);
        });
    }

    @Test
    void rolloutInProgress() {
        RocketCluster after = changed(1);
        Map<String, StatefulSet> existing = settled(cr(1));

        // the reconcile that applies the slave
        RocketClusterStatus s1 = StatusBuilder.of(after, observe(after, existing, nameServer(after, true), Map.of()));
        assertCondition(s1, "Ready", "False", "RollingOut");
        assertCondition(s1, "Progressing", "True", "RollingOut");
        assertCondition(s1, "Degraded", "False", "AsExpected");
        assertThat(cond(s1, "Progressing").getMessage())
                .isEqualTo("rolling out: waiting for " + S1 + " to be ready; next: " + M0);
        assertThat(s1.getBrokerGroups()).singleElement().satisfies(g -> {
            assertThat(g.getPhase()).isEqualTo("RollingOut");
            assertThat(g.isReady()).isFalse();
        });
        assertThat(s1.getReadyGroups()).isEqualTo("0/1");
        assertThat(s1.getObservedGeneration()).isEqualTo(4L);

        // the slave is updated and restarting; the master still waits
        existing.put(S1, rollingOut(stamped(after, S1), 2));
        RocketClusterStatus s2 = StatusBuilder.of(after, observe(after, existing, nameServer(after, true), Map.of()));
        assertCondition(s2, "Ready", "False", "RollingOut");
        assertCondition(s2, "Progressing", "True", "RollingOut");
        assertThat(s2.getBrokerGroups().get(0).getPhase()).isEqualTo("RollingOut");

        // the slave is ready: the reconcile that applies the master
        existing.put(S1, withStatus(stamped(after, S1), 2, true));
        RocketClusterStatus s3 = StatusBuilder.of(after, observe(after, existing, nameServer(after, true), Map.of()));
        assertCondition(s3, "Ready", "False", "RollingOut");
        assertThat(cond(s3, "Ready").getMessage()).isEqualTo("rolling out: waiting for " + M0 + " to be ready");
        assertThat(s3.getBrokerGroups().get(0).getReadySlaves()).isEqualTo(1);
        assertThat(s3.getBrokerGroups().get(0).isMasterReady()).isFalse();

        // all done
        existing.put(M0, withStatus(stamped(after, M0), 2, true));
        RocketClusterStatus s4 = StatusBuilder.of(after, observe(after, existing, nameServer(after, true), Map.of()));
        assertCondition(s4, "Ready", "True", "Ready");
        assertCondition(s4, "Progressing", "False", "Settled");
        assertThat(s4.getReadyGroups()).isEqualTo("1/1");
    }

    /**
     * The last step of a rollout (the master's pod being replaced after its update was applied) is
     * still a rollout, not a first start.
     */
    @Test
    void theMastersRestartAtTheEndOfARolloutIsStillRollingOut() {
        RocketCluster after = changed(1);
        Map<String, StatefulSet> existing = settled(cr(1));
        existing.put(S1, withStatus(stamped(after, S1), 2, true));
        StatefulSet master = rollingOut(stamped(after, M0), 2);
        master.getStatus().setUpdatedReplicas(1); // pod recreated at the new revision, not ready yet
        existing.put(M0, master);
        RocketClusterStatus s = StatusBuilder.of(after, observe(after, existing, nameServer(after, true), Map.of()));
        assertCondition(s, "Ready", "False", "RollingOut");
        assertCondition(s, "Progressing", "True", "RollingOut");
        assertThat(s.getBrokerGroups().get(0).getPhase()).isEqualTo("RollingOut");
    }

    @Test
    void notReadyWhileStarting() {
        RocketCluster cr = cr(2);
        Map<String, StatefulSet> existing = new LinkedHashMap<>();
        settled(cr).forEach((k, v) -> existing.put(k, withStatus(v, 1, false)));

        RocketClusterStatus s = StatusBuilder.of(cr, observe(cr, existing, nameServer(cr, false), Map.of()));
        assertCondition(s, "Ready", "False", "NotReady");
        assertThat(cond(s, "Ready").getMessage()).isEqualTo("nameservers not ready");
        assertCondition(s, "Progressing", "True", "Starting");
        assertThat(cond(s, "Progressing").getMessage()).isEqualTo("nameservers not ready");
        assertCondition(s, "Degraded", "False", "AsExpected");
        assertThat(s.getReadyGroups()).isEqualTo("0/2");
        assertThat(s.getBrokerGroups()).allSatisfy(g -> assertThat(g.getPhase()).isEqualTo("Pending"));

        // no nameserver Deployment at all yet
        RocketClusterStatus none = StatusBuilder.of(cr, observe(cr, existing, null, Map.of()));
        assertCondition(none, "Ready", "False", "NotReady");
        assertThat(cond(none, "Ready").getMessage()).isEqualTo("nameservers not ready");

        // nameservers ready, one group's slave not
        Map<String, StatefulSet> oneDown = settled(cr);
        oneDown.put("demo-broker-1-slave-1", withStatus(stamped(cr, "demo-broker-1-slave-1"), 1, false));
        RocketClusterStatus s2 = StatusBuilder.of(cr, observe(cr, oneDown, nameServer(cr, true), Map.of()));
        assertCondition(s2, "Ready", "False", "NotReady");
        assertThat(cond(s2, "Ready").getMessage()).isEqualTo("1 of 2 broker groups not ready");
        assertThat(s2.getReadyGroups()).isEqualTo("1/2");
        assertThat(s2.getBrokerGroups().get(1)).satisfies(g -> {
            assertThat(g.isMasterReady()).isTrue();
            assertThat(g.getReadySlaves()).isZero();
            assertThat(g.getPhase()).isEqualTo("Pending");
        });
        assertThat(s2.getBrokerGroups().get(0).getPhase()).isEqualTo("Running");
    }

    @Test
    void freshlyCreatedClusterIsStarting() {
        RocketCluster cr = cr(1);
        RocketClusterStatus s = StatusBuilder.of(cr, observe(cr, Map.of(), null, Map.of()));
        assertCondition(s, "Ready", "False", "NotReady");
        assertCondition(s, "Progressing", "True", "Starting");
        assertThat(s.getReadyGroups()).isEqualTo("0/1");
    }

    @Test
    void drainingGroupBlocksScaleIn() {
        RocketCluster cr = cr(1);
        String why = "broker-1 still holds 42 unconsumed messages: it is read-only now and is removed once its consumers have drained it";
        RocketClusterStatus s = StatusBuilder.of(cr, observe(cr, settled(cr), nameServer(cr, true), Map.of("broker-1", why)));
        assertCondition(s, "Ready", "True", "Ready");
        assertCondition(s, "Progressing", "True", "ScaleInWaiting");
        assertThat(cond(s, "Progressing").getMessage()).isEqualTo("removing broker-1");
        assertCondition(s, "Degraded", "True", "ScaleInBlocked");
        assertThat(cond(s, "Degraded").getMessage()).isEqualTo(why);
        assertThat(s.getReadyGroups()).isEqualTo("1/1");
        assertThat(s.getBrokerGroups()).extracting(BrokerGroupStatus::getBrokerName, BrokerGroupStatus::getPhase)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("broker-0", "Running"),
                        org.assertj.core.groups.Tuple.tuple("broker-1", "Draining"));
        assertThat(s.getBrokerGroups().get(1).getMessage()).isEqualTo(why);
    }

    @Test
    void invalidSpec() {
        RocketCluster cr = cr(1);
        cr.setStatus(settledStatus(cr));
        List<String> problems = List.of("spec.externalAccess.advertisedHost is required when type is NodePort",
                "spec.broker.config may not set brokerId: the operator sets these from the spec (use the spec fields instead)");
        cr.getMetadata().setGeneration(9L);
        RocketClusterStatus s = StatusBuilder.invalid(cr, problems);
        assertCondition(s, "Ready", "False", "InvalidSpec");
        assertCondition(s, "Progressing", "False", "InvalidSpec");
        assertCondition(s, "Degraded", "True", "InvalidSpec");
        assertThat(cond(s, "Ready").getMessage()).isEqualTo(String.join("; ", problems));
        assertThat(cond(s, "Degraded").getMessage()).isEqualTo(String.join("; ", problems));
        assertThat(s.getObservedGeneration()).isEqualTo(9L);
        // what was known about the groups is kept
        assertThat(s.getReadyGroups()).isEqualTo("1/1");
        assertThat(s.getBrokerGroups()).isEqualTo(cr.getStatus().getBrokerGroups()).hasSize(1);
        assertThat(s.getNameServerAddress()).isEqualTo("demo-namesrv.mq.svc.cluster.local:9876");

        RocketCluster fresh = cr(1);
        RocketClusterStatus first = StatusBuilder.invalid(fresh, problems);
        assertThat(first.getReadyGroups()).isNull();
        assertThat(first.getBrokerGroups()).isEmpty();
    }

    @Test
    void lastTransitionTimeIsKeptWhileTheStatusValueStaysTheSame() {
        RocketCluster cr = cr(1);
        RocketClusterStatus previous = settledStatus(cr);
        previous.getConditions().forEach(c -> c.setLastTransitionTime(OLD));
        cr.setStatus(previous);

        RocketClusterStatus again = settledStatus(cr);
        assertThat(again.getConditions()).allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo(OLD));
        assertThat(StatusBuilder.same(again, previous)).isTrue();

        // a rollout starts: Ready and Progressing flip, Degraded stays False
        RocketCluster after = changed(1);
        after.setStatus(previous);
        RocketClusterStatus rolling = StatusBuilder.of(after, observe(after, settled(cr(1)), nameServer(after, true), Map.of()));
        assertThat(cond(rolling, "Ready").getLastTransitionTime()).isNotEqualTo(OLD).endsWith("Z");
        assertThat(cond(rolling, "Progressing").getLastTransitionTime()).isNotEqualTo(OLD);
        assertThat(cond(rolling, "Degraded").getLastTransitionTime()).isEqualTo(OLD);
        assertThat(StatusBuilder.same(rolling, previous)).isFalse();

        // reason and message change (RollingOut -> NotReady), status stays False: the time stays too
        rolling.getConditions().forEach(c -> c.setLastTransitionTime(OLD));
        after.setStatus(rolling);
        Map<String, StatefulSet> notReady = new LinkedHashMap<>();
        settled(after).forEach((k, v) -> notReady.put(k, withStatus(v, 2, false)));
        RocketClusterStatus starting = StatusBuilder.of(after, observe(after, notReady, nameServer(after, true), Map.of()));
        assertThat(cond(starting, "Ready").getReason()).isEqualTo("NotReady");
        assertThat(starting.getConditions()).allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo(OLD));
    }

    @Test
    void externalAccessReportsTheExternalNameserverAddress() {
        RocketCluster cr = cr(1);
        cr.getSpec().getExternalAccess().setType(ExternalAccessSpec.Type.NodePort);
        cr.getSpec().getExternalAccess().setAdvertisedHost("mq.example.com");
        cr.getSpec().getExternalAccess().setNameServerNodePort(31000);
        RocketClusterStatus s = settledStatus(cr);
        assertThat(s.getExternalNameServerAddress()).isEqualTo("mq.example.com:31000");
        assertThat(s.getNameServerAddress()).isEqualTo("demo-namesrv.mq.svc.cluster.local:9876");
    }

    @Test
    void groupNotesBecomeTheGroupsMessage() {
        RocketCluster cr = cr(2);
        RocketClusterStatus s = StatusBuilder.of(cr, observe(cr, settled(cr), nameServer(cr, true), Map.of(),
                Map.of("broker-1", "store volume of demo-broker-1-master growing to 20Gi")));
        assertThat(s.getBrokerGroups()).extracting(BrokerGroupStatus::getMessage)
                .containsExactly(null, "store volume of demo-broker-1-master growing to 20Gi");
    }

    @Test
    void sameComparesFieldByField() {
        RocketCluster cr = cr(1);
        RocketClusterStatus a = settledStatus(cr);
        cr.setStatus(a);
        RocketClusterStatus b = settledStatus(cr);
        assertThat(StatusBuilder.same(a, b)).isTrue();
        b.setReadyGroups("0/1");
        assertThat(StatusBuilder.same(a, b)).isFalse();
        assertThat(StatusBuilder.same(null, null)).isTrue();
        assertThat(StatusBuilder.same(a, null)).isFalse();
    }

    @Test
    void aFailedReconcileIsDegradedWithTheReasonAndKeepsTheRest() {
        RocketCluster cr = cr(1);
        cr.setStatus(StatusBuilder.of(cr, observe(cr, settled(cr), nameServer(cr, true), Map.of())));
        RocketClusterStatus s = StatusBuilder.failed(cr, "services \"demo-namesrv-external\" is invalid: port is already allocated");
        assertCondition(s, "Ready", "True", "Ready");
        assertCondition(s, "Degraded", "True", "ReconcileFailed");
        assertThat(cond(s, "Degraded").getMessage()).contains("port is already allocated");
        assertThat(s.getReadyGroups()).isEqualTo("1/1");
        assertThat(cond(s, "Ready").getLastTransitionTime()).isEqualTo(cond(cr.getStatus(), "Ready").getLastTransitionTime());
    }
}
