package io.rocketcluster.broker.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the values one metric label takes: the first {@code max} distinct values get their own
 * series, every later one is counted under {@value #OTHER}. Topics and groups are created by
 * clients, so without this a client could make the metrics (and every scrape) grow without end.
 * Thread-safe; a value once admitted keeps its series.
 */
final class LabelBudget {
    static final String OTHER = "_other";

    private final int max;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    LabelBudget(int max) {
        this.max = max;
    }

    /** {@code value}, or {@value #OTHER} once {@code max} other values have their series. */
    String label(String value) {
        if (admitted.contains(value)) {
            return value;
        }
        synchronized (this) {
            if (admitted.size() < max) {
                admitted.add(value);
                return value;
            }
        }
        return OTHER;
    }

    int size() {
        return admitted.size();
    }
}
