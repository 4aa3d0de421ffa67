package io.rocketcluster.broker.store;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store's own verdict on whether it may take writes and serve (docs/store-layout.md §7):
 * <ul>
 *   <li><b>I/O failure</b>: a force (msync) failed. What was acknowledged before stays acknowledged,
 *       but nothing written from then on could be promised durable, so the store refuses every write
 *       until the broker is restarted (it recovers from what is on disk).</li>
 *   <li><b>Dispatch halted</b>: the dispatcher met bytes it cannot parse below the end of the log. It
 *       stops there rather than skip them (skipping would lose messages silently).</li>
 *   <li><b>Dead store threads</b>: a supervised thread (dispatcher, flusher, HA) ended
 *       unexpectedly.</li>
 * </ul>
 * Any of these makes {@link #notReadyReason()} non-null (readiness 503). Each is logged once.
 * Thread-safe.
 */
public final class StoreHealth {
    private static final Logger LOG = LogManager.getLogger(StoreHealth.class);

    private volatile String ioFailure;
    private volatile long dispatchHaltedAt = -1;
    private volatile String dispatchHaltReason;
    private final Map<String, String> deadThreads = new ConcurrentHashMap<>();
    private final AtomicLong ioFailures = new AtomicLong();
    private final AtomicLong corruptRecords = new AtomicLong();

    /** A force or write failed: writes are refused from now until restart. */
    public void ioFailed(String what, Throwable cause) {
        ioFailures.incrementAndGet();
        if (ioFailure == null) {
            synchronized (this) {
                if (ioFailure == null) {
                    ioFailure = what + " failed (" + cause + "); the store refuses writes until the broker is restarted";
                    LOG.error("store I/O failure: {}", ioFailure, cause);
                }
            }
        }
    }

    /** The dispatcher stopped at {@code offset}: the bytes there are not a record. */
    public void dispatchHalted(long offset, String reason) {
        if (dispatchHaltedAt != offset) {
            corruptRecords.incrementAndGet();
            dispatchHaltReason = reason;
            dispatchHaltedAt = offset;
            LOG.error("dispatch halted at commitlog offset {}: {}. Consumers get nothing stored after it "
                    + "until the broker is restarted (recovery checks the log)", offset, reason);
        }
    }

    /** A supervised thread ended unexpectedly. */
    public void threadDied(String thread, Throwable cause) {
        String why = cause == null ? "exited" : cause.toString();
        if (deadThreads.putIfAbsent(thread, why) == null) {
            LOG.error("store thread {} died: {}", thread, why, cause);
        }
    }

    /** Why writes are refused, or null when they are accepted. */
    public String writeRefusal() {
        return ioFailure;
    }

    /** Why the store is not fit to serve, or null. */
    public String notReadyReason() {
        if (ioFailure != null) {
            return ioFailure;
        }
        if (dispatchHaltedAt >= 0) {
            return "dispatch halted at commitlog offset " + dispatchHaltedAt + ": " + dispatchHaltReason;
        }
        if (!deadThreads.isEmpty()) {
            return "store thread(s) died: " + deadThreads;
        }
        return null;
    }

    /** Commitlog offset where dispatch halted, -1 while it runs. */
    public long dispatchHaltedAt() {
        return dispatchHaltedAt;
    }

    /** Failed forces and writes since start. */
    public long ioFailures() {
        return ioFailures.get();
    }

    /** Unparseable records met by the dispatcher since start. */
    public long corruptRecords() {
        return corruptRecords.get();
    }

    /** Supervised threads that died, by name. */
    public Map<String, String> deadThreads() {
        return Map.copyOf(deadThreads);
    }

    /**
     * A thread running {@code body} that reports to this health if {@code body} throws anything
     * (an Error included) or returns while {@code stillWanted} says it should run. When
     * {@code guardsWrites} (the flusher), its death also refuses writes: nothing could be made durable.
     */
    public Thread supervised(String name, Runnable body, java.util.function.BooleanSupplier stillWanted,
                             boolean guardsWrites) {
        Thread t = new Thread(() -> {
            Throwable failure = null;
            try {
                body.run();
            } catch (Throwable e) {
                failure = e;
            }
            if (failure != null || stillWanted.getAsBoolean()) {
                threadDied(name, failure);
                if (guardsWrites) {
                    ioFailed("thread " + name, failure == null ? new IllegalStateException("exited") : failure);
                }
            }
        }, name);
        t.setDaemon(true);
        return t;
    }
}
