package io.rocketcluster.broker.ha;

import java.util.List;

/**
 * Where a slave's log and its master's part (docs/replication.md §9.2): from both epoch histories and log
 * ends, the offset up to which the two logs are the same history, and what the slave does. Both sides run
 * it: the slave with the master's epoch ids (its decision), the master without them (to know whether to
 * refuse writes). The rules, in short: a slave only ever truncates a tail that belongs to an epoch the
 * master has closed and moved past; when the master's history does not reach as far as the slave's (an
 * empty or rolled-back master, an unrelated or fake one), nobody truncates. Pure and stateless.
 */
public final class EpochAgreement {
    private EpochAgreement() {
    }

    /** What the slave does. */
    public enum Kind {
        /** Append the master's stream from {@code offset} (the slave's own end). */
        FOLLOW,
        /** Save the slave's log from {@code offset} to its end, cut it there, then follow. */
        TRUNCATE,
        /** Keep everything, replicate nothing: the master's history is behind the slave's or unrelated. */
        REFUSE
    }

    /**
     * @param offset where the two logs meet: the offset both histories agree on up to. FOLLOW and TRUNCATE
     *               continue from it; for REFUSE it is where an operator's "keep the master's data" would cut
     *               (0 when the histories share nothing)
     */
    public record Verdict(Kind kind, long offset, String reason) {
        static Verdict follow(long offset) {
            return new Verdict(Kind.FOLLOW, offset, null);
        }
    }

    /**
     * @param compareIds whether both histories carry their epochs' random ids (the slave's view)
     */
    public static Verdict decide(List<Epoch> slave, long slaveEnd, List<Epoch> master, long masterEnd,
                                 boolean compareIds) {
        if (slaveEnd == 0) {
            return Verdict.follow(0);
        }
        if (slave.isEmpty()) {
            // a store from before epochs (or from Apache RocketMQ): nothing proves a divergence, so never cut
            return slaveEnd <= masterEnd ? Verdict.follow(slaveEnd)
                    : refuse(masterEnd, "this slave has no epoch history and its log (end " + slaveEnd
                    + ") reaches past the master's (end " + masterEnd + ")");
        }
        int s = slave.size() - 1;
        int m = -1;
        for (; s >= 0; s--) {
            m = indexOf(master, slave.get(s), compareIds);
            if (m >= 0) {
                break;
            }
        }
        if (s < 0) {
            return refuse(0, "the master's epoch history " + Epoch.encode(master, false)
                    + " shares no epoch with this slave's " + Epoch.encode(slave, false)
                    + " (an empty or replaced master, or not this group's master)");
        }
        boolean slaveHasNewer = s < slave.size() - 1;
        boolean masterHasNewer = m < master.size() - 1;
        long commonEndOnMaster = masterHasNewer ? master.get(m + 1).startOffset() : masterEnd;
        long commonEndOnSlave = slaveHasNewer ? slave.get(s + 1).startOffset() : slaveEnd;
        Epoch common = slave.get(s);
        if (!slaveHasNewer && slaveEnd <= commonEndOnMaster) {
            return Verdict.follow(slaveEnd);
        }
        int masterLast = master.get(master.size() - 1).epoch();
        int slaveLast = slave.get(slave.size() - 1).epoch();
        if (masterHasNewer && masterLast > slaveLast) {
            long cut = Math.min(commonEndOnMaster, commonEndOnSlave);
            Epoch acked = replicaAckedIn(slave, s, cut);
            if (acked != null) {
                return refuse(cut, "this slave's log past " + cut + " is from epoch " + acked.epoch() + ", whose master "
                        + "acknowledged sends once a slave held them (SYNC_MASTER with ASYNC_FLUSH), and the master no "
                        + "longer has it: this slave's copy may be the only one of acknowledged messages");
            }
            return new Verdict(Kind.TRUNCATE, cut, "this slave's log past " + cut + " is from epoch "
                    + (slaveHasNewer ? slave.get(s + 1).epoch() : common.epoch())
                    + ", which the master ended at " + commonEndOnMaster + " before starting epoch "
                    + master.get(m + 1).epoch());
        }
        return refuse(Math.min(commonEndOnMaster, commonEndOnSlave), "the master's history (epochs "
                + Epoch.encode(master, false) + ", end " + masterEnd
                + ") is behind this slave's (epochs " + Epoch.encode(slave, false) + ", end " + slaveEnd + ")");
    }

    /** The first replica-acked epoch of {@code slave} (from index {@code from}) that holds data at or past {@code cut}. */
    private static Epoch replicaAckedIn(List<Epoch> slave, int from, long cut) {
        for (int i = from; i < slave.size(); i++) {
            long end = i + 1 < slave.size() ? slave.get(i + 1).startOffset() : Long.MAX_VALUE;
            if (slave.get(i).replicaAcked() && end > cut) {
                return slave.get(i);
            }
        }
        return null;
    }

    private static Verdict refuse(long meet, String reason) {
        return new Verdict(Kind.REFUSE, meet, reason);
    }

    private static int indexOf(List<Epoch> history, Epoch e, boolean compareIds) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).sameAs(e, compareIds)) {
                return i;
            }
        }
        return -1;
    }
}
