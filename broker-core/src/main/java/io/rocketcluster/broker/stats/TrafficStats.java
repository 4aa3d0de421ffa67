package io.rocketcluster.broker.stats;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Message traffic as the admin tools read it (docs/remoting.md §8, VIEW_BROKER_STATS_DATA):
 * <ul>
 *   <li>broker-wide puts and gets with their rate over the last 10 s, 60 s and 600 s
 *       ({@code putTps}, {@code getTransferedTps});</li>
 *   <li>the totals at the start of today and of yesterday ({@code msgPutTotalTodayMorning} ...),
 *       counted since the broker started, as RocketMQ does;</li>
 *   <li>per topic messages put ({@link #TOPIC_PUT_NUMS}, key = topic) and per consumer group and topic
 *       messages pulled ({@link #GROUP_GET_NUMS}, key = {@code topic@group}), each over the last
 *       minute, hour and day.</li>
 * </ul>
 * {@link #sample()} must run about once a second. Thread-safe.
 */
public final class TrafficStats {
    public static final String TOPIC_PUT_NUMS = "TOPIC_PUT_NUMS";
    public static final String GROUP_GET_NUMS = "GROUP_GET_NUMS";

    /** Broker-wide counters: one resolution, a sample a second for 10 minutes. */
    private static final RollingCounter.Resolution[] BROKER = {new RollingCounter.Resolution(1000, 600_000)};
    /** Keyed counters: minute (10 s samples), hour (1 min samples), day (1 h samples), as RocketMQ's stats items. */
    private static final RollingCounter.Resolution[] KEYED = {
        new RollingCounter.Resolution(10_000, 60_000),
        new RollingCounter.Resolution(60_000, 3_600_000),
        new RollingCounter.Resolution(3_600_000, 86_400_000)};

    /** The windows of a keyed statistic, in VIEW_BROKER_STATS_DATA's order. */
    public record KeyedWindows(RollingCounter.Window minute, RollingCounter.Window hour, RollingCounter.Window day) {
    }

    /** Totals at the day marks (msgPutTotal* / msgGetTotal*). */
    public record DailyTotals(long yesterdayMorning, long todayMorning, long now) {
    }

    private final LongSupplier clock;
    private final ZoneId zone;
    private final RollingCounter puts;
    private final RollingCounter gets;
    private final Map<String, RollingCounter> topicPuts = new ConcurrentHashMap<>();
    private final Map<String, RollingCounter> groupGets = new ConcurrentHashMap<>();
    private LocalDate today;
    private long putTodayMorning;
    private long putYesterdayMorning;
    private long getTodayMorning;
    private long getYesterdayMorning;

    public TrafficStats(LongSupplier clock, ZoneId zone) {
        this.clock = clock;
        this.zone = zone;
        long now = clock.getAsLong();
        this.puts = new RollingCounter(now, BROKER);
        this.gets = new RollingCounter(now, BROKER);
        this.today = date(now);
    }

    public TrafficStats() {
        this(System::currentTimeMillis, ZoneId.systemDefault());
    }

    /** Messages stored (one send or batch). */
    public void put(int messages) {
        puts.add(messages);
    }

    /** Messages that arrived in {@code topic}'s consume queues. */
    public void topicPut(String topic, int messages) {
        counter(topicPuts, topic).add(messages);
    }

    /** Messages one pull of {@code group} returned from {@code topic}. */
    public void groupGet(String group, String topic, int messages) {
        gets.add(messages);
        counter(groupGets, topic + "@" + group).add(messages);
    }

    private RollingCounter counter(Map<String, RollingCounter> m, String key) {
        RollingCounter c = m.get(key);
        return c != null ? c : m.computeIfAbsent(key, k -> new RollingCounter(clock.getAsLong(), KEYED));
    }

    /** Forgets a deleted topic's statistics. */
    public void removeTopic(String topic) {
        topicPuts.remove(topic);
        groupGets.keySet().removeIf(k -> k.startsWith(topic + "@"));
    }

    /** Forgets a deleted group's statistics. */
    public void removeGroup(String group) {
        groupGets.keySet().removeIf(k -> k.endsWith("@" + group));
    }

    /** Takes the samples that are due and moves the day marks at midnight. */
    public void sample() {
        long now = clock.getAsLong();
        puts.sample(now);
        gets.sample(now);
        topicPuts.values().forEach(c -> c.sample(now));
        groupGets.values().forEach(c -> c.sample(now));
        rollDay(now);
    }

    private synchronized void rollDay(long now) {
        LocalDate d = date(now);
        if (d.isAfter(today)) {
            boolean nextDay = d.equals(today.plusDays(1));
            putYesterdayMorning = nextDay ? putTodayMorning : puts.value();
            getYesterdayMorning = nextDay ? getTodayMorning : gets.value();
            putTodayMorning = puts.value();
            getTodayMorning = gets.value();
            today = d;
        }
    }

    private LocalDate date(long millis) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(millis), zone);
    }

    public synchronized DailyTotals putTotals() {
        return new DailyTotals(putYesterdayMorning, putTodayMorning, puts.value());
    }

    public synchronized DailyTotals getTotals() {
        return new DailyTotals(getYesterdayMorning, getTodayMorning, gets.value());
    }

    /** Messages put per second over the last 10 s, 60 s and 600 s. */
    public double[] putTps() {
        return rates(puts, false);
    }

    /** Messages pulled per second over the last 10 s, 60 s and 600 s. */
    public double[] getTransferredTps() {
        return rates(gets, false);
    }

    /** Pulls that found messages per second over the last 10 s, 60 s and 600 s. */
    public double[] getFoundTps() {
        return rates(gets, true);
    }

    private double[] rates(RollingCounter c, boolean calls) {
        long now = clock.getAsLong();
        long[] windows = {10_000, 60_000, 600_000};
        double[] out = new double[windows.length];
        for (int i = 0; i < windows.length; i++) {
            RollingCounter.Window w = c.over(0, windows[i], now);
            out[i] = calls ? w.times() * 1000.0 / Math.max(w.millis(), 1000) : w.tps();
        }
        return out;
    }

    /** Total put calls counted (each send or batch once). */
    public long putCalls() {
        return puts.times();
    }

    /**
     * The windows of one statistic ({@link #TOPIC_PUT_NUMS} with a topic, {@link #GROUP_GET_NUMS} with
     * {@code topic@group}); null when nothing was ever recorded under that key.
     */
    public KeyedWindows keyed(String statsName, String key) {
        Map<String, RollingCounter> m = switch (statsName) {
            case TOPIC_PUT_NUMS -> topicPuts;
            case GROUP_GET_NUMS -> groupGets;
            default -> null;
        };
        RollingCounter c = m == null ? null : m.get(key);
        if (c == null) {
            return null;
        }
        long now = clock.getAsLong();
        return new KeyedWindows(c.window(0, now), c.window(1, now), c.window(2, now));
    }

    /** Messages per second {@code group} pulled from {@code topic} over the last minute (consumeTps). */
    public double groupGetTps(String group, String topic) {
        RollingCounter c = groupGets.get(topic + "@" + group);
        return c == null ? 0 : c.window(0, clock.getAsLong()).tps();
    }
}
