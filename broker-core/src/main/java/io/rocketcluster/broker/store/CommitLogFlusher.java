package io.rocketcluster.broker.store;

import io.rocketcluster.broker.config.FlushDiskType;
import io.rocketcluster.broker.config.MessageStoreConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Forces the commitlog to disk. ASYNC_FLUSH: every {@code flushIntervalCommitLog} ms once
 * {@code flushCommitLogLeastPages} pages are dirty (all pages every
 * {@code flushCommitLogThoroughInterval}). SYNC_FLUSH: group commit — waiting appends are collected,
 * one force covers them all, and each waiter completes once the flushed offset passes its end.
 *
 * <p>A failed force is final: the failure goes to {@link StoreHealth} (the store then refuses
 * writes), every waiter completes with false at once, and the flusher forces nothing more, since
 * after a failed msync the kernel may report later ones as successful without the data being on
 * disk. The flushed offset stays where the last successful force left it.
 */
final class CommitLogFlusher implements Runnable {
    private record Waiter(long offset, CompletableFuture<Boolean> done) {
    }

    private final CommitLog commitLog;
    private final MessageStoreConfig config;
    private final StoreHealth health;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition hasWaiters = lock.newCondition();
    private List<Waiter> waiters = new ArrayList<>();
    private volatile long flushedOffset;
    private final Object forceLock = new Object();
    private volatile boolean stopped;
    private volatile boolean failed;
    private long lastThoroughFlush = System.currentTimeMillis();

    CommitLogFlusher(CommitLog commitLog, MessageStoreConfig config, StoreHealth health) {
        this.commitLog = commitLog;
        this.config = config;
        this.health = health;
    }

    long flushedOffset() {
        return flushedOffset;
    }

    void setFlushedOffset(long offset) {
        flushedOffset = offset;
    }

    /**
     * The commitlog was cut at {@code offset}. Serialised with a force in progress, which could
     * otherwise publish a flushed offset computed before the cut (and let a later append's waiter
     * complete before its bytes are forced).
     */
    void lowerFlushedOffset(long offset) {
        synchronized (forceLock) {
            flushedOffset = Math.min(flushedOffset, offset);
        }
    }

    /** Completes with true once {@code offset} is on disk, false after {@code syncFlushTimeout}. */
    CompletableFuture<Boolean> awaitFlush(long offset) {
        if (flushedOffset >= offset) {
            return CompletableFuture.completedFuture(true);
        }
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        lock.lock();
        try {
            if (failed || stopped) {
                return CompletableFuture.completedFuture(false);
            }
            waiters.add(new Waiter(offset, f));
            hasWaiters.signal();
        } finally {
            lock.unlock();
        }
        return f.completeOnTimeout(false, config.getSyncFlushTimeout(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
        boolean sync = config.getFlushDiskType() == FlushDiskType.SYNC_FLUSH;
        while (!stopped) {
            try {
                if (sync) {
                    groupCommit();
                } else {
                    periodicFlush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Forces the commitlog; false (and the store failed) when the force did not succeed. */
    private boolean force(int leastPages) {
        if (failed) {
            return false;
        }
        try {
            synchronized (forceLock) {
                flushedOffset = commitLog.flush(leastPages);
            }
            return true;
        } catch (RuntimeException e) {
            failed = true;
            health.ioFailed("commitlog force", e);
            failWaiters();
            return false;
        }
    }

    private void failWaiters() {
        lock.lock();
        try {
            waiters.forEach(w -> w.done.complete(w.offset <= flushedOffset));
            waiters.clear();
        } finally {
            lock.unlock();
        }
    }

    private void groupCommit() throws InterruptedException {
        List<Waiter> batch;
        lock.lock();
        try {
            if (waiters.isEmpty()) {
                hasWaiters.await(10, TimeUnit.MILLISECONDS);
            }
            batch = waiters;
            waiters = new ArrayList<>();
        } finally {
            lock.unlock();
        }
        if (!force(0)) {
            batch.forEach(w -> w.done.complete(w.offset <= flushedOffset));
            return;
        }
        for (Waiter w : batch) {
            if (w.offset <= flushedOffset) {
                w.done.complete(true);
            } else {
                lock.lock();
                try {
                    waiters.add(w);
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private void periodicFlush() throws InterruptedException {
        Thread.sleep(config.getFlushIntervalCommitLog());
        long now = System.currentTimeMillis();
        int least = config.getFlushCommitLogLeastPages();
        if (now - lastThoroughFlush >= config.getFlushCommitLogThoroughInterval()) {
            least = 0;
            lastThoroughFlush = now;
        }
        force(least);
    }

    /** Stops the thread and flushes everything. */
    void stop() {
        stopped = true;
        force(0);
        failWaiters();
    }

    /** Stops without forcing (a simulated crash); waiters complete with what was flushed. */
    void abandon() {
        stopped = true;
        failed = true;
        failWaiters();
    }

    /** Whether a force failed (nothing is forced any more). */
    boolean failed() {
        return failed;
    }
}
