package io.rocketcluster.broker.util;

import io.rocketcluster.remoting.netty.QueuedRequest;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A fixed pool with a bounded queue for one kind of request (send, pull, query...) that remembers when
 * each queued task arrived, so the broker can report its queue length and how long the oldest queued
 * request has waited ({@code sendThreadPoolQueueHeadWaitTimeMills} and friends). Thread-safe.
 */
public final class RequestExecutor extends ThreadPoolExecutor {
    private final int capacity;

    /** {@code capacity <= 0}: unbounded queue. */
    public RequestExecutor(int threads, int capacity, ThreadFactory threadFactory) {
        super(threads, threads, 60, TimeUnit.SECONDS, queue(capacity), threadFactory);
        this.capacity = capacity;
    }

    private static BlockingQueue<Runnable> queue(int capacity) {
        return capacity > 0 ? new ArrayBlockingQueue<>(capacity) : new LinkedBlockingQueue<>();
    }

    private record Queued(Runnable task, long enqueuedNanos) implements Runnable {
        @Override
        public void run() {
            task.run();
        }
    }

    @Override
    public void execute(Runnable command) {
        super.execute(new Queued(command, System.nanoTime()));
    }

    public int queueSize() {
        return getQueue().size();
    }

    /** The queue's capacity (Integer.MAX_VALUE when unbounded). */
    public int queueCapacity() {
        return capacity > 0 ? capacity : Integer.MAX_VALUE;
    }

    /**
     * Fast failure: refuses, oldest first, the queued requests that have waited longer than
     * {@code maxWaitMillis}, with a SYSTEM_BUSY remark naming {@code key}. Returns how many it refused.
     */
    public int failStale(long maxWaitMillis, String key) {
        int refused = 0;
        long now = System.nanoTime();
        while (getQueue().peek() instanceof Queued q && q.task instanceof QueuedRequest request) {
            long waited = (now - q.enqueuedNanos) / 1_000_000;
            if (waited <= maxWaitMillis) {
                break;
            }
            if (getQueue().remove(q)) {
                refused++;
                request.reject("[TIMEOUT_CLEAN_QUEUE]broker busy, start flow control for a while, period in queue: "
                        + waited + "ms, size of queue: " + getQueue().size() + " (" + key + "=" + maxWaitMillis + ")");
            }
        }
        return refused;
    }

    /** How long the oldest queued task has waited, 0 when the queue is empty. */
    public long headWaitMillis() {
        Runnable head = getQueue().peek();
        return head instanceof Queued q ? (System.nanoTime() - q.enqueuedNanos) / 1_000_000 : 0;
    }
}
