package io.rocketcluster.broker.ha;

import io.rocketcluster.broker.store.MessageStore;
import io.rocketcluster.broker.store.PutStatus;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;

/**
 * What slaves have acknowledged, and SYNC_MASTER's wait for it (docs/replication.md §3): an append is
 * answered once some slave's report reaches its end offset; SLAVE_NOT_AVAILABLE at once when no slave
 * counts or the best slave is {@code haSlaveFallbehindMax} or more behind; FLUSH_SLAVE_TIMEOUT after
 * {@code slaveTimeout}. Acknowledgements are kept per slave (its brokerId once its handshake agreed with this
 * master's epoch history, or its connection for a slave without a handshake), and a slave's leave takes its
 * acknowledgements with it. Waiters are keyed by end offset, which is unique per append. Thread-safe.
 */
public final class ReplicaAcks implements MessageStore.ReplicaWaiter {
    private final long fallBehindMax;
    private final long timeoutMillis;
    private final Map<String, Long> bySlave = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Long, CompletableFuture<PutStatus>> waiters = new ConcurrentSkipListMap<>();
    private volatile long ackedOffset = -1;

    public ReplicaAcks(long fallBehindMax, long timeoutMillis) {
        this.fallBehindMax = fallBehindMax;
        this.timeoutMillis = timeoutMillis;
    }

    /** The highest offset a counted slave holds, -1 when none counts. */
    public long ackedOffset() {
        return ackedOffset;
    }

    /** Slaves that count now. */
    public int slaves() {
        return bySlave.size();
    }

    /** {@code slave} reported holding the log up to {@code offset}. */
    public void onAck(String slave, long offset) {
        synchronized (this) {
            bySlave.merge(slave, offset, Math::max);
            if (offset > ackedOffset) {
                ackedOffset = offset;
            }
        }
        releaseUpTo(ackedOffset);
    }

    /** {@code slave} left: it no longer counts. */
    public synchronized void remove(String slave) {
        bySlave.remove(slave);
        ackedOffset = bySlave.values().stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    private void releaseUpTo(long acked) {
        Map<Long, CompletableFuture<PutStatus>> done = waiters.headMap(acked, true);
        for (CompletableFuture<PutStatus> f : done.values()) {
            f.complete(PutStatus.PUT_OK);
        }
        done.clear();
    }

    @Override
    public CompletableFuture<PutStatus> await(long offset) {
        long acked = ackedOffset;
        if (bySlave.isEmpty() || offset - Math.max(acked, 0) >= fallBehindMax) {
            return CompletableFuture.completedFuture(PutStatus.SLAVE_NOT_AVAILABLE);
        }
        if (acked >= offset) {
            return CompletableFuture.completedFuture(PutStatus.PUT_OK);
        }
        CompletableFuture<PutStatus> f = new CompletableFuture<>();
        waiters.put(offset, f);
        releaseUpTo(ackedOffset); // an ack may have arrived in between
        return f.completeOnTimeout(PutStatus.FLUSH_SLAVE_TIMEOUT, timeoutMillis, TimeUnit.MILLISECONDS)
                .whenComplete((s, e) -> waiters.remove(offset, f));
    }
}
