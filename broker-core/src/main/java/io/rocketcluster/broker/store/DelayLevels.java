package io.rocketcluster.broker.store;

import java.util.ArrayList;
import java.util.List;

/**
 * The delay levels of scheduled messages, parsed from {@code messageDelayLevel}
 * ("1s 5s 10s 30s 1m ... 2h": number and unit s, m, h or d; level = 1-based position).
 */
public final class DelayLevels {
    /** Where delayed messages wait: queue {@code level - 1}, consume-queue tag code = deliver time. */
    public static final String SCHEDULE_TOPIC = "SCHEDULE_TOPIC_XXXX";

    private final long[] millis;

    public DelayLevels(String spec) {
        List<Long> out = new ArrayList<>();
        for (String token : spec.trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            char unit = token.charAt(token.length() - 1);
            long factor = switch (unit) {
                case 's' -> 1000L;
                case 'm' -> 60_000L;
                case 'h' -> 3_600_000L;
                case 'd' -> 86_400_000L;
                default -> throw new IllegalArgumentException("bad delay level '" + token
                        + "' in messageDelayLevel: expected a number followed by s, m, h or d");
            };
            try {
                out.add(Long.parseLong(token.substring(0, token.length() - 1)) * factor);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad delay level '" + token + "' in messageDelayLevel");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("messageDelayLevel defines no level");
        }
        millis = out.stream().mapToLong(Long::longValue).toArray();
    }

    public int maxLevel() {
        return millis.length;
    }

    /** Delay of a level (1-based), clamped to the highest level. */
    public long delayMillis(int level) {
        return millis[Math.min(Math.max(level, 1), millis.length) - 1];
    }
}
