package io.rocketcluster.broker.stats;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.atomic.LongAdder;

/**
 * A running total (and how many times it was added to) plus sampled history, so that the amount
 * added over a recent window and its rate can be read: "the last minute", "the last 10 s".
 *
 * <p>Each {@link Resolution} keeps samples {@code (time, total, times)} taken at most every
 * {@code intervalMillis} by {@link #sample}, back to the newest sample at or before
 * {@code now - windowMillis}. A window is measured from that sample (or, while the counter is younger
 * than the window, from its creation) to the live total now, so a value is visible at once.
 *
 * <p>Thread-safe: adds are lock-free; sampling and reading synchronize on the history.
 */
public final class RollingCounter {
    /** How often to sample and how far back to keep. */
    public record Resolution(long intervalMillis, long windowMillis) {
    }

    /** What was added within a window: total, number of adds, and the time it covers. */
    public record Window(long sum, long times, long millis) {
        /** Per second over the window (at least one second long, so a young counter does not spike). */
        public double tps() {
            return sum * 1000.0 / Math.max(millis, 1000);
        }

        /** Per add: the average amount one add contributed. */
        public double avgpt() {
            return times == 0 ? 0 : (double) sum / times;
        }
    }

    private final LongAdder value = new LongAdder();
    private final LongAdder times = new LongAdder();
    private final Resolution[] resolutions;
    private final ArrayDeque<long[]>[] history;

    @SuppressWarnings("unchecked")
    public RollingCounter(long now, Resolution... resolutions) {
        this.resolutions = resolutions.clone();
        this.history = new ArrayDeque[resolutions.length];
        for (int i = 0; i < resolutions.length; i++) {
            history[i] = new ArrayDeque<>();
            history[i].add(new long[] {now, 0, 0});
        }
    }

    public void add(long amount) {
        value.add(amount);
        times.increment();
    }

    public long value() {
        return value.sum();
    }

    public long times() {
        return times.sum();
    }

    /** Takes the samples that are due at {@code now}. */
    public void sample(long now) {
        for (int i = 0; i < resolutions.length; i++) {
            ArrayDeque<long[]> h = history[i];
            synchronized (h) {
                if (now - h.getLast()[0] >= resolutions[i].intervalMillis) {
                    h.addLast(new long[] {now, value.sum(), times.sum()});
                }
                long start = now - resolutions[i].windowMillis;
                while (h.size() >= 2 && second(h)[0] <= start) {
                    h.removeFirst();
                }
            }
        }
    }

    /** What was added over the last {@code windowMillis}, read from resolution {@code resolution}. */
    public Window over(int resolution, long windowMillis, long now) {
        long v = value.sum();
        long t = times.sum();
        ArrayDeque<long[]> h = history[resolution];
        long[] base;
        synchronized (h) {
            base = h.getFirst();
            long start = now - windowMillis;
            for (Iterator<long[]> it = h.descendingIterator(); it.hasNext(); ) {
                long[] s = it.next();
                if (s[0] <= start) {
                    base = s;
                    break;
                }
            }
        }
        return new Window(Math.max(0, v - base[1]), Math.max(0, t - base[2]), Math.max(0, now - base[0]));
    }

    /** The whole window of resolution {@code resolution}. */
    public Window window(int resolution, long now) {
        return over(resolution, resolutions[resolution].windowMillis, now);
    }

    private static long[] second(ArrayDeque<long[]> h) {
        Iterator<long[]> it = h.iterator();
        it.next();
        return it.next();
    }
}
