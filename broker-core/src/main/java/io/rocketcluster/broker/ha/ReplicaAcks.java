package io.rocketcluster.broker.ha;

import io.rocketcluster.broker.store.MessageStore;
import io.rocketcluster.broker.store.PutStatus;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * What slaves have acknowledged, and SYNC_MASTER's wait for it (docs/replication.md §3): an append is
 * answered once any slave's report reaches its end offset; SLAVE_NOT_AVAILABLE at once when no
 * slave is connected or the best slave is {@code haSlaveFallbehindMax} or more behind;
 * FLUSH_SLAVE_TIMEOUT after {@code slaveTimeout}. Waiters are keyed by end offset, which is unique
 * per append. Thread-safe.
 */
public final class ReplicaAcks implements MessageStore.ReplicaWaiter {
    private final IntSupplier connectedSlaves;
    private final long fallBehindMax;
    private final long timeoutMillis;
    private final ConcurrentSkipListMap<Long, CompletableFuture<PutStatus>> waiters = new ConcurrentSkipListMap<>();
    private volatile long ackedOffset = -1;

    public ReplicaAcks(IntSupplier connectedSlaves, long fallBehindMax, long timeoutMillis) {
        this.connectedSlaves = connectedSlaves;
        this.fallBehindMax = fallBehindMax;
        this.timeoutMillis = timeoutMillis;
    }

    public long ackedOffset() {
        return ackedOffset;
    }

    /** A slave reported holding the log up to {@code offset}. */
    public void onAck(long offset) {
        synchronized (this) {
            if (offset > ackedOffset) {
                ackedOffset = offset;
            }
        }
        releaseUpTo(ackedOffset);
    }

    /** Forgets acknowledgements (no slave connected any more). */
    public synchronized void reset() {
        ackedOffset = -1;
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
        if (connectedSlaves.getAsInt() == 0 || offset - Math.max(acked, 0) >= fallBehindMax) {
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
