package io.rocketcluster.broker.util;

import java.util.function.LongSupplier;

/**
 * Bounds what clients create implicitly (topics on first send, groups on first use): creation stops
 * when the table holds {@code maxCount} entries, and at most {@code maxPerMinute} are created in any
 * minute (a token bucket that refills continuously). Whoever is refused gets a remark naming the key.
 * Thread-safe.
 */
public final class CreationBudget {
    private final String what;
    private final String countKey;
    private final int maxCount;
    private final String rateKey;
    private final int maxPerMinute;
    private final LongSupplier clock;
    private double tokens;
    private long refilledAt;

    public CreationBudget(String what, String countKey, int maxCount, String rateKey, int maxPerMinute,
                          LongSupplier clock) {
        this.what = what;
        this.countKey = countKey;
        this.maxCount = maxCount;
        this.rateKey = rateKey;
        this.maxPerMinute = Math.max(0, maxPerMinute);
        this.clock = clock;
        this.tokens = this.maxPerMinute;
        this.refilledAt = clock.getAsLong();
    }

    /** Takes one creation from the budget: null when allowed, else the refusal remark. */
    public synchronized String tryAcquire(int existing) {
        String refusal = refusal(existing);
        if (refusal == null) {
            tokens -= 1;
        }
        return refusal;
    }

    /** Why a creation would be refused now (null: it would not), without taking anything. */
    public synchronized String refusal(int existing) {
        if (existing >= maxCount) {
            return "[AUTO_CREATE_LIMIT]the broker already holds " + existing + " " + what + "; auto-creation stops at "
                    + maxCount + " (" + countKey + ")";
        }
        refill();
        if (tokens < 1) {
            return "[AUTO_CREATE_LIMIT]more than " + maxPerMinute + " " + what + " auto-created in a minute ("
                    + rateKey + ")";
        }
        return null;
    }

    private void refill() {
        long now = clock.getAsLong();
        if (now > refilledAt) {
            tokens = Math.min(maxPerMinute, tokens + (now - refilledAt) * maxPerMinute / 60_000.0);
            refilledAt = now;
        }
    }
}
