package io.rocketcluster.broker;

import java.util.concurrent.TimeUnit;

/**
 * Counts requests that write to the store (sends) between their arrival and their response, so
 * that a shutdown can refuse new ones and wait for those already accepted (a SYNC_FLUSH or
 * SYNC_MASTER send waits for the disk or a slave after its request thread has returned).
 *
 * <p>Thread-safe.
 */
public final class InFlightRequests {
    private int count;
    private boolean closed;

    /** Admits a request; false once {@link #close()} was called (the caller refuses it). */
    public synchronized boolean enter() {
        if (closed) {
            return false;
        }
        count++;
        return true;
    }

    /** An admitted request was answered (or failed). */
    public synchronized void exit() {
        count--;
        if (count <= 0) {
            notifyAll();
        }
    }

    /** Refuses requests from now on. */
    public synchronized void close() {
        closed = true;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    public synchronized int count() {
        return count;
    }

    /** Waits until no admitted request is left; true if that happened within the timeout. */
    public synchronized boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (count > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
