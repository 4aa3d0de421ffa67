package io.rocketcluster.operator.reconcile;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.rocketcluster.operator.crd.RocketCluster;
import io.rocketcluster.operator.model.ClusterModel;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.rocketcluster.operator.model.Fixtures.cluster;
import static io.rocketcluster.operator.model.Fixtures.rollingOut;
import static io.rocketcluster.operator.model.Fixtures.withStatus;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Rollout#plan}: "existing" StatefulSets are stamped model objects (what the reconciler applied)
 * with a faked controller status.
 */
class RolloutTest {
    private static final String S1 = "demo-broker-0-slave-1";
    private static final String S2 = "demo-broker-0-slave-2";
    private static final String M0 = "demo-broker-0-master";

    private static RocketCluster cr(int groups, int slaves) {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().setGroups(groups);
        cr.getSpec().getBroker().setSlavesPerGroup(slaves);
        return cr;
    }

    private static RocketCluster changed(int groups, int slaves) {
        RocketCluster cr = cr(groups, slaves);
        cr.getSpec().getBroker().getConfig().put("fileReservedTime", "24");
        return cr;
    }

    /** The desired StatefulSets of {@code cr}, stamped, in rollout order. */
    private static List<StatefulSet> desired(RocketCluster cr) {
        return ClusterModel.of(cr).groups().stream().flatMap(g -> g.rolloutOrder().stream())
                .map(Workloads::stamp).toList();
    }

    /** What the API server holds after {@code cr} was applied and settled: all up to date, all ready. */
    private static Map<String, StatefulSet> settled(RocketCluster cr) {
        Map<String, StatefulSet> m = new LinkedHashMap<>();
        for (StatefulSet s : desired(cr)) {
            m.put(s.getMetadata().getName(), withStatus(s, 1, true));
        }
        return m;
    }

    private static StatefulSet stamped(RocketCluster cr, String name) {
        return desired(cr).stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> names(List<StatefulSet> l) {
        return l.stream().map(s -> s.getMetadata().getName()).toList();
    }

    @Test
    void missingStatefulSetsAreAllCreatedAtOnce() {
        RocketCluster cr = cr(2, 1);
        Rollout r = Rollout.plan(desired(cr), Map.of());
        assertThat(names(r.apply())).containsExactly(S1, M0, "demo-broker-1-slave-1", "demo-broker-1-master");
        assertThat(r.waitingFor()).isNull();
        assertThat(r.pending()).isEmpty();
        assertThat(r.inProgress()).isFalse();
        // what is applied is the stamped desired object itself
        assertThat(r.apply()).allSatisfy(s -> assertThat(Workloads.appliedHash(s)).isNotNull());
    }

    @Test
    void settledClusterYieldsNothingToApply() {
        RocketCluster cr = cr(2, 2);
        Rollout r = Rollout.plan(desired(cr), settled(cr));
        assertThat(r.apply()).isEmpty();
        assertThat(r.waitingFor()).isNull();
        assertThat(r.pending()).isEmpty();
        assertThat(r.inProgress()).isFalse();
    }

    @Test
    void stampIsStableAndSensitiveToTheSpec() {
        assertThat(Workloads.appliedHash(stamped(cr(1, 1), M0))).isEqualTo(Workloads.appliedHash(stamped(cr(1, 1), M0)));
        assertThat(Workloads.appliedHash(stamped(changed(1, 1), M0))).isNotEqualTo(Workloads.appliedHash(stamped(cr(1, 1), M0)));
        assertThat(Workloads.upToDate(stamped(cr(1, 1), M0), stamped(cr(1, 1), M0))).isTrue();
        assertThat(Workloads.upToDate(stamped(cr(1, 1), M0), stamped(changed(1, 1), M0))).isFalse();
    }

    @Test
    void aChangedSlaveGoesFirstAndTheMasterWaitsUntilItIsUpToDateAndReady() {
        RocketCluster before = cr(1, 1);
        RocketCluster after = changed(1, 1);
        Map<String, StatefulSet> existing = settled(before);

        // step 1: the slave is applied, the master held back
        Rollout r1 = Rollout.plan(desired(after), existing);
        assertThat(names(r1.apply())).containsExactly(S1);
        assertThat(r1.waitingFor()).isEqualTo(S1);
        assertThat(r1.pending()).containsExactly(M0);
        assertThat(r1.inProgress()).isTrue();
        assertThat(Workloads.upToDate(r1.apply().get(0), stamped(after, S1))).isTrue();

        // step 2: the slave is updated, its controller has not rolled the pod yet -> still waiting, nothing applied
        existing.put(S1, rollingOut(stamped(after, S1), 2));
        Rollout r2 = Rollout.plan(desired(after), existing);
        assertThat(r2.apply()).isEmpty();
        assertThat(r2.waitingFor()).isEqualTo(S1);
        assertThat(r2.pending()).containsExactly(M0);

        // step 2b: rolled but not ready yet
        existing.put(S1, withStatus(stamped(after, S1), 2, false));
        Rollout r2b = Rollout.plan(desired(after), existing);
        assertThat(r2b.apply()).isEmpty();
        assertThat(r2b.waitingFor()).isEqualTo(S1);
        assertThat(r2b.pending()).containsExactly(M0);

        // step 2c: ready pod, but the controller has not observed the new generation yet
        StatefulSet stale = withStatus(stamped(after, S1), 2, true);
        stale.getStatus().setObservedGeneration(1L);
        existing.put(S1, stale);
        assertThat(Rollout.plan(desired(after), existing).apply()).isEmpty();

        // step 3: the slave is up to date and ready -> now the master
        existing.put(S1, withStatus(stamped(after, S1), 2, true));
        Rollout r3 = Rollout.plan(desired(after), existing);
        assertThat(names(r3.apply())).containsExactly(M0);
        assertThat(r3.waitingFor()).isEqualTo(M0);
        assertThat(r3.pending()).isEmpty();

        // step 4: the master restarting
        existing.put(M0, withStatus(stamped(after, M0), 2, false));
        Rollout r4 = Rollout.plan(desired(after), existing);
        assertThat(r4.apply()).isEmpty();
        assertThat(r4.waitingFor()).isEqualTo(M0);
        assertThat(r4.pending()).isEmpty();
        assertThat(r4.inProgress()).isTrue();

        // step 5: done
        existing.put(M0, withStatus(stamped(after, M0), 2, true));
        Rollout r5 = Rollout.plan(desired(after), existing);
        assertThat(r5.apply()).isEmpty();
        assertThat(r5.inProgress()).isFalse();
    }

    @Test
    void slavesRollHighestIdFirstOneAtATime() {
        RocketCluster before = cr(1, 2);
        RocketCluster after = changed(1, 2);
        Map<String, StatefulSet> existing = settled(before);
        Rollout r1 = Rollout.plan(desired(after), existing);
        assertThat(names(r1.apply())).containsExactly(S2);
        assertThat(r1.pending()).containsExactly(S1, M0);

        existing.put(S2, withStatus(stamped(after, S2), 2, true));
        Rollout r2 = Rollout.plan(desired(after), existing);
        assertThat(names(r2.apply())).containsExactly(S1);
        assertThat(r2.waitingFor()).isEqualTo(S1);
        assertThat(r2.pending()).containsExactly(M0);
    }

    @Test
    void groupsRollOneAfterTheOther() {
        RocketCluster before = cr(2, 1);
        RocketCluster after = changed(2, 1);
        Map<String, StatefulSet> existing = settled(before);
        Rollout r = Rollout.plan(desired(after), existing);
        assertThat(names(r.apply())).containsExactly(S1);
        assertThat(r.pending()).containsExactly(M0, "demo-broker-1-slave-1", "demo-broker-1-master");

        existing.put(S1, withStatus(stamped(after, S1), 2, true));
        existing.put(M0, withStatus(stamped(after, M0), 2, true));
        Rollout next = Rollout.plan(desired(after), existing);
        assertThat(names(next.apply())).containsExactly("demo-broker-1-slave-1");
        assertThat(next.pending()).containsExactly("demo-broker-1-master");
    }

    @Test
    void aFixForABrokenMasterReachesItBeforeItsSlaves() {
        RocketCluster before = cr(1, 1);
        RocketCluster fixed = cr(1, 1);
        fixed.getSpec().getBroker().setImage("rocketcluster-broker:fixed");
        Map<String, StatefulSet> existing = settled(before);
        // the master crash-loops; its slave cannot be ready without it (it replicates from it)
        existing.put(M0, withStatus(stamped(before, M0), 1, false));
        existing.put(S1, withStatus(stamped(before, S1), 1, false));

        List<StatefulSet> order = Rollout.groupOrder(desired(fixed), existing);
        assertThat(names(order)).containsExactly(M0, S1);
        Rollout r = Rollout.plan(order, existing);
        assertThat(names(r.apply())).containsExactly(M0);
        assertThat(r.pending()).containsExactly(S1);

        // a healthy master keeps the usual order: slaves first
        assertThat(names(Rollout.groupOrder(desired(fixed), settled(before)))).containsExactly(S1, M0);
    }

    @Test
    void aNotReadyUpToDateStatefulSetBlocksLaterUpdates() {
        RocketCluster before = cr(2, 1);
        RocketCluster after = cr(2, 1);
        after.getSpec().getBroker().setImage("rocketcluster-broker:2.0");
        Map<String, StatefulSet> existing = settled(before);
        // group 0's master is up to date (say, it already has the new image) but its pod is not ready
        existing.put(M0, withStatus(stamped(after, M0), 2, false));

        Rollout r = Rollout.plan(desired(after), existing);
        // group 0's slave comes before the master in rollout order, so it is updated now
        assertThat(names(r.apply())).containsExactly(S1);
        assertThat(r.waitingFor()).isEqualTo(S1);

        existing.put(S1, withStatus(stamped(after, S1), 2, true));
        Rollout blocked = Rollout.plan(desired(after), existing);
        assertThat(blocked.apply()).isEmpty();
        assertThat(blocked.waitingFor()).isEqualTo(M0);
        assertThat(blocked.pending()).containsExactly("demo-broker-1-slave-1", "demo-broker-1-master");
    }

    @Test
    void aNotReadyUnchangedClusterIsWaitedForWithoutApplyingAnything() {
        RocketCluster cr = cr(1, 1);
        Map<String, StatefulSet> existing = settled(cr);
        existing.put(S1, withStatus(stamped(cr, S1), 1, false));
        Rollout r = Rollout.plan(desired(cr), existing);
        assertThat(r.apply()).isEmpty();
        assertThat(r.waitingFor()).isEqualTo(S1);
        assertThat(r.pending()).isEmpty();
        // a StatefulSet without any status yet counts as not ready
        StatefulSet fresh = stamped(cr, S1);
        fresh.getMetadata().setGeneration(1L);
        existing.put(S1, fresh);
        assertThat(Rollout.plan(desired(cr), existing).waitingFor()).isEqualTo(S1);
    }

    @Test
    void missingStatefulSetsAreCreatedEvenWhileARolloutWaits() {
        RocketCluster before = cr(1, 1);
        RocketCluster after = changed(2, 1);
        Rollout r = Rollout.plan(desired(after), settled(before));
        assertThat(names(r.apply())).containsExactly(S1, "demo-broker-1-slave-1", "demo-broker-1-master");
        assertThat(r.waitingFor()).isEqualTo(S1);
        assertThat(r.pending()).containsExactly(M0);
    }

    @Test
    void addingASlaveCreatesItWithoutTouchingTheOthers() {
        RocketCluster before = cr(1, 1);
        RocketCluster after = cr(1, 2);
        Rollout r = Rollout.plan(desired(after), settled(before));
        assertThat(names(r.apply())).containsExactly(S2);
        assertThat(r.waitingFor()).isNull();
        assertThat(r.pending()).isEmpty();
    }

    @Test
    void aStatefulSetAppliedByAnotherHandIsReplaced() {
        RocketCluster cr = cr(1, 1);
        Map<String, StatefulSet> existing = settled(cr);
        existing.get(M0).getMetadata().getAnnotations().remove(Workloads.APPLIED_HASH);
        Rollout r = Rollout.plan(desired(cr), existing);
        assertThat(names(r.apply())).containsExactly(M0);
        assertThat(r.waitingFor()).isEqualTo(M0);
    }
}
