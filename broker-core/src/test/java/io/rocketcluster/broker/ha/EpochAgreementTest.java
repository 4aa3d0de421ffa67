package io.rocketcluster.broker.ha;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.rocketcluster.broker.ha.EpochAgreement.Kind.FOLLOW;
import static io.rocketcluster.broker.ha.EpochAgreement.Kind.REFUSE;
import static io.rocketcluster.broker.ha.EpochAgreement.Kind.TRUNCATE;
import static org.assertj.core.api.Assertions.assertThat;

/** The truncation rules of docs/replication.md §9.2, case by case and as properties of simulated histories. */
class EpochAgreementTest {
    private static final Epoch A1 = new Epoch(1, 0, 0xa1);
    private static final Epoch A2 = new Epoch(2, 1000, 0xa2);
    private static final Epoch A3 = new Epoch(3, 1500, 0xa3);

    private static EpochAgreement.Verdict decide(List<Epoch> slave, long slaveEnd, List<Epoch> master, long masterEnd) {
        return EpochAgreement.decide(slave, slaveEnd, master, masterEnd, true);
    }

    @Test
    void aSlaveBehindItsMasterFollowsFromItsOwnEnd() {
        assertThat(decide(List.of(A1), 500, List.of(A1, A2), 2000)).isEqualTo(EpochAgreement.Verdict.follow(500));
        assertThat(decide(List.of(A1, A2), 1200, List.of(A1, A2), 1200).kind()).isEqualTo(FOLLOW);
        assertThat(decide(List.of(), 0, List.of(A1, A2), 2000)).isEqualTo(EpochAgreement.Verdict.follow(0));
    }

    @Test
    void anEmptyMasterOrAFakeOneNeverMakesTheSlaveCut() {
        Epoch fresh = new Epoch(1, 0, 0xfeed);
        EpochAgreement.Verdict v = decide(List.of(A1, A2), 1800, List.of(fresh), 0);
        assertThat(v.kind()).isEqualTo(REFUSE);
        assertThat(v.reason()).contains("shares no epoch");
        // a fake that counts alike but cannot know the ids
        assertThat(decide(List.of(A1, A2), 1800, List.of(new Epoch(1, 0, 1), new Epoch(2, 1000, 2),
                new Epoch(3, 1200, 3)), 1200).kind()).isEqualTo(REFUSE);
        // an empty master that restarted often: higher numbers prove nothing
        assertThat(decide(List.of(A1, A2), 1800, List.of(new Epoch(5, 0, 5), new Epoch(9, 0, 9)), 0).kind())
                .isEqualTo(REFUSE);
    }

    @Test
    void aTailOfAnEpochTheMasterClosedIsCutWhereTheMasterEndedIt() {
        // the master lost [1500, 1800) in a crash and began epoch 3 at 1500
        EpochAgreement.Verdict v = decide(List.of(A1, A2), 1800, List.of(A1, A2, A3), 2500);
        assertThat(v.kind()).isEqualTo(TRUNCATE);
        assertThat(v.offset()).isEqualTo(1500);
        // the slave had adopted an epoch the new master never saw (it followed another master for a while)
        Epoch other = new Epoch(3, 1600, 0xbb);
        Epoch newer = new Epoch(4, 1400, 0xcc);
        assertThat(decide(List.of(A1, A2, other), 1900, List.of(A1, A2, newer), 3000))
                .isEqualTo(new EpochAgreement.Verdict(TRUNCATE, 1400, decide(List.of(A1, A2, other), 1900,
                        List.of(A1, A2, newer), 3000).reason()));
    }

    @Test
    void aTailThatMayHoldMessagesAcknowledgedBecauseTheSlaveHadThemIsNeverCut() {
        // SYNC_MASTER with ASYNC_FLUSH lost [1500, 1800) from its page cache: the slave's copy is the only one
        Epoch syncA2 = new Epoch(2, 1000, 0xa2, true);
        EpochAgreement.Verdict v = decide(List.of(A1, syncA2), 1800, List.of(A1, syncA2, A3), 2500);
        assertThat(v.kind()).isEqualTo(REFUSE);
        assertThat(v.offset()).as("where keeping the master's data would cut").isEqualTo(1500);
        assertThat(v.reason()).contains("SYNC_MASTER with ASYNC_FLUSH");
        // the master sees the same from the flags the slave sends without ids
        assertThat(EpochAgreement.decide(List.of(A1.withoutId(), syncA2.withoutId()), 1800,
                List.of(A1, syncA2, A3), 2500, false).kind()).isEqualTo(REFUSE);
    }

    @Test
    void aMasterBehindInItsOwnEpochOrWithoutTheSlavesNewerEpochIsRefused() {
        assertThat(decide(List.of(A1, A2), 1800, List.of(A1, A2), 1500).kind()).isEqualTo(REFUSE);
        assertThat(decide(List.of(A1, A2, A3), 1800, List.of(A1, A2), 5000).kind()).isEqualTo(REFUSE);
        assertThat(decide(List.of(), 1800, List.of(A1), 1000).kind()).as("no history, nothing proves a divergence")
                .isEqualTo(REFUSE);
        assertThat(decide(List.of(), 800, List.of(A1), 1000)).isEqualTo(EpochAgreement.Verdict.follow(800));
    }

    @Test
    void withoutIdsTheMasterSeesTheSameShapeForItsFence() {
        Epoch fresh = new Epoch(1, 0, 0xfeed);
        // the master cannot tell its epoch 1 from the slave's, but still sees the slave's newer epoch 2
        assertThat(EpochAgreement.decide(List.of(new Epoch(1, 0, 0), new Epoch(2, 1000, 0)), 1800, List.of(fresh), 0,
                false).kind()).isEqualTo(REFUSE);
    }

    /**
     * A group's life simulated: masters crash losing an unflushed tail, come back (a new epoch), sometimes
     * on an empty volume; the slave follows with what the agreement tells it. Properties: the slave never
     * cuts below what both logs share; it never cuts when the master's history does not contain the slave's
     * epoch at the meeting point; after FOLLOW or TRUNCATE the slave's log is a prefix of the master's.
     */
    @Property(tries = 300)
    void theSlaveKeepsEveryByteTheMasterStillHas(@ForAll @IntRange(min = 1, max = 40) int steps,
                                                 @ForAll long seed) {
        Random random = new Random(seed);
        Sim master = new Sim(random);
        master.beginEpoch();
        Sim slave = new Sim(random);
        for (int i = 0; i < steps; i++) {
            switch (random.nextInt(5)) {
                case 0, 1 -> master.write(1 + random.nextInt(300));
                case 2 -> { // crash: lose an unflushed tail, restart in a new epoch
                    master.lose(random.nextInt(200));
                    master.beginEpoch();
                }
                case 3 -> { // restart on an empty volume
                    if (random.nextInt(4) == 0) {
                        master.wipe();
                        master.beginEpoch();
                    }
                }
                default -> { }
            }
            EpochAgreement.Verdict v = EpochAgreement.decide(slave.epochs, slave.log.size(), master.epochs,
                    master.log.size(), true);
            int common = commonPrefix(slave.log, master.log);
            net.jqwik.api.statistics.Statistics.collect(v.kind());
            switch (v.kind()) {
                case FOLLOW -> {
                    assertThat(v.offset()).isEqualTo(slave.log.size());
                    assertThat(common).as("FOLLOW only when the slave's log is the master's").isEqualTo(slave.log.size());
                }
                case TRUNCATE -> {
                    assertThat(v.offset()).isLessThan(slave.log.size());
                    assertThat(v.offset()).as("never cut what both still share").isGreaterThanOrEqualTo(common);
                    assertThat(commonPrefix(slave.log.subList(0, (int) v.offset()), master.log))
                            .as("what is kept is the master's").isEqualTo((int) v.offset());
                    for (int e = 0; e < slave.epochs.size(); e++) {
                        long end = e + 1 < slave.epochs.size() ? slave.epochs.get(e + 1).startOffset() : slave.log.size();
                        assertThat(slave.epochs.get(e).replicaAcked() && end > v.offset())
                                .as("a replica-acked epoch's data is never cut").isFalse();
                    }
                    slave.cut((int) v.offset());
                }
                case REFUSE -> {
                    // nothing changes on the slave; the master keeps its fence until an operator decides
                    assertThat(slave.log.size()).isGreaterThan(0);
                    continue;
                }
            }
            slave.copyFrom(master);
        }
        // the simulation must reach every rule, or the properties above prove little
        net.jqwik.api.statistics.Statistics.coverage(c -> {
            c.check(TRUNCATE).count(n -> n > 0);
            c.check(REFUSE).count(n -> n > 0);
            c.check(FOLLOW).count(n -> n > 0);
        });
    }

    private static int commonPrefix(List<Integer> a, List<Integer> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            if (!a.get(i).equals(b.get(i))) {
                return i;
            }
        }
        return n;
    }

    /** A log of bytes (each a random value, so different histories differ) and its epochs. */
    private static final class Sim {
        final Random random;
        final List<Integer> log = new ArrayList<>();
        List<Epoch> epochs = new ArrayList<>();

        Sim(Random random) {
            this.random = random;
        }

        void beginEpoch() {
            int next = epochs.isEmpty() ? 1 : epochs.get(epochs.size() - 1).epoch() + 1;
            epochs.add(new Epoch(next, log.size(), random.nextLong() | 1, random.nextInt(4) == 0));
        }

        void write(int n) {
            for (int i = 0; i < n; i++) {
                log.add(random.nextInt());
            }
        }

        /** A master's crash: the unflushed tail is gone, and epochs that began in it (EpochHistory.load). */
        void lose(int n) {
            log.subList(Math.max(0, log.size() - n), log.size()).clear();
            epochs.removeIf(e -> e.startOffset() > log.size());
        }

        void wipe() {
            log.clear();
            epochs = new ArrayList<>();
        }

        /** A slave's cut (EpochHistory.truncateFrom): the log and the epochs from {@code at} on. */
        void cut(int at) {
            log.subList(at, log.size()).clear();
            epochs.removeIf(e -> e.startOffset() >= at);
        }

        /** What replication does after an agreement: append the master's bytes, adopting its epochs. */
        void copyFrom(Sim master) {
            for (int i = log.size(); i < master.log.size(); i++) {
                log.add(master.log.get(i));
            }
            int lastEpoch = epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).epoch();
            for (Epoch e : master.epochs) {
                if (e.startOffset() < log.size() && e.epoch() > lastEpoch) {
                    epochs.add(e);
                    lastEpoch = e.epoch();
                }
            }
        }
    }
}
