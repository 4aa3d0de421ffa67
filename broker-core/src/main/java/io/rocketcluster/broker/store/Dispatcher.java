package io.rocketcluster.broker.store;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Builds consume queues from the commitlog: reads each published record after
 * {@link #dispatchedOffset()} and writes its consume-queue entry. The commitlog is the only source of
 * truth, so a slave's replicated commitlog is dispatched exactly like a master's own appends.
 * One thread; {@link #wakeup()} after an append avoids waiting for the next poll.
 *
 * <p>It never skips: bytes below the end of the log that are not a record halt dispatch at that
 * offset and are reported to {@link StoreHealth} (logged once, counted, readiness 503). A record
 * whose bytes are not all there yet (a slave between two replication frames) is waited for.
 */
final class Dispatcher implements Runnable {
    private static final Logger LOG = LogManager.getLogger(Dispatcher.class);

    private final CommitLog commitLog;
    private final ConsumeQueueStore queues;
    private final List<ArrivalListener> listeners = new CopyOnWriteArrayList<>();
    /** Also given every dispatched message record, in commitlog order (the message index). */
    private volatile java.util.function.Consumer<StoredRecord> recordSink = r -> { };
    private volatile long dispatchedOffset;
    private volatile boolean stopped;
    private volatile Thread thread;
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();

    private final DelayLevels delayLevels;
    private final StoreHealth health;

    Dispatcher(CommitLog commitLog, ConsumeQueueStore queues, DelayLevels delayLevels, StoreHealth health) {
        this.commitLog = commitLog;
        this.queues = queues;
        this.delayLevels = delayLevels;
        this.health = health;
    }

    void addListener(ArrivalListener l) {
        listeners.add(l);
    }

    void setRecordSink(java.util.function.Consumer<StoredRecord> sink) {
        this.recordSink = sink;
    }

    long dispatchedOffset() {
        return dispatchedOffset;
    }

    void setDispatchedOffset(long offset) {
        this.dispatchedOffset = offset;
    }

    /** Dispatches everything published so far in the calling thread (start-up). */
    int catchUp() {
        int n = 0;
        while (dispatchOne(false)) {
            n++;
        }
        return n;
    }

    /** Runs {@code action} while no record is being dispatched. */
    void exclusively(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    /** Dispatches one record (or skips one file tail); false when nothing new is published. */
    private boolean dispatchOne(boolean notify) {
        lock.lock();
        try {
            return dispatchLocked(notify);
        } finally {
            lock.unlock();
        }
    }

    private boolean dispatchLocked(boolean notify) {
        long offset = dispatchedOffset;
        if (offset >= commitLog.maxOffset()) {
            return false;
        }
        if (offset < commitLog.minOffset()) {
            LOG.warn("dispatch offset {} is below the commitlog min offset (retention); going on from {}", offset,
                    commitLog.minOffset());
            dispatchedOffset = commitLog.minOffset();
            return true;
        }
        LogEntry e = commitLog.entryAt(offset, false);
        switch (e.kind()) {
            case FILE_END -> {
                dispatchedOffset = commitLog.nextFileOffset(offset);
                return true;
            }
            case INCOMPLETE -> {
                return false;
            }
            case END -> {
                health.dispatchHalted(offset, "zero bytes below the end of the log (" + commitLog.describe(offset) + ")");
                return false;
            }
            case CORRUPT -> {
                health.dispatchHalted(offset, e.problem() + " (" + commitLog.describe(offset) + ")");
                return false;
            }
            default -> {
            }
        }
        StoredRecord r = e.record();
        if (r.isConsumable()) {
            long tags = DelayLevels.SCHEDULE_TOPIC.equals(r.topic())
                    ? r.storeTimestamp() + delayLevels.delayMillis(r.queueId() + 1) : r.tagsCode();
            queues.get(r.topic(), r.queueId()).put(r.queueOffset(), offset, r.size(), tags);
            if (notify) {
                for (ArrivalListener l : listeners) {
                    l.arrived(r.topic(), r.queueId(), r.queueOffset() + 1, tags);
                }
            }
        }
        recordSink.accept(r);
        dispatchedOffset = offset + r.size();
        return true;
    }

    void wakeup() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        while (!stopped) {
            try {
                if (!dispatchOne(true)) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(health.dispatchHaltedAt() >= 0 ? 100 : 1));
                }
            } catch (RuntimeException e) {
                // a record the queues cannot take (say an illegal topic from an old log): halt there, loudly
                health.dispatchHalted(dispatchedOffset, "dispatching the record failed: " + e);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    void stop() {
        stopped = true;
        wakeup();
    }
}
