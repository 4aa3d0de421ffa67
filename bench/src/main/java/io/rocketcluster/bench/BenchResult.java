package io.rocketcluster.bench;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one benchmark run, and its two renderings: a human summary block and one markdown
 * table row (with {@link #MARKDOWN_HEADER}) for bench/README.md. Pure value; no I/O.
 *
 * <p>Latencies are held in microseconds (the histogram's unit) and printed in milliseconds.
 * A negative {@code consumeTps} means the consumer was off.
 */
public record BenchResult(
        String label,
        String namesrv,
        String topic,
        int threads,
        int bodySize,
        double measuredSeconds,
        long sentOk,
        long failed,
        double sendTps,
        long p50Us,
        long p99Us,
        long p999Us,
        long maxUs,
        double meanUs,
        double consumeTps,
        long consumed,
        long backlog) {

    public static final String MARKDOWN_HEADER =
            "| target | threads | body (B) | measured (s) | send TPS | p50 (ms) | p99 (ms) | p999 (ms) | max (ms)"
                    + " | failed sends | consume TPS |\n"
                    + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    /** Builds a result from the measured-window latency histogram (values in µs) and counters. */
    public static BenchResult of(String label, String namesrv, String topic, int threads, int bodySize,
            double measuredSeconds, Histogram latencyUs, long sentOk, long failed,
            boolean consumerOn, long consumedInWindow, long consumedTotal, long backlog) {
        double seconds = measuredSeconds > 0 ? measuredSeconds : Double.POSITIVE_INFINITY; // empty window: rates 0
        boolean empty = latencyUs.getTotalCount() == 0;
        return new BenchResult(label, namesrv, topic, threads, bodySize, measuredSeconds, sentOk, failed,
                sentOk / seconds,
                empty ? 0 : latencyUs.getValueAtPercentile(50.0),
                empty ? 0 : latencyUs.getValueAtPercentile(99.0),
                empty ? 0 : latencyUs.getValueAtPercentile(99.9),
                empty ? 0 : latencyUs.getMaxValue(),
                empty ? 0.0 : latencyUs.getMean(),
                consumerOn ? consumedInWindow / seconds : -1.0,
                consumerOn ? consumedTotal : 0,
                consumerOn ? backlog : 0);
    }

    public boolean consumerOn() {
        return consumeTps >= 0;
    }

    /** Multi-line summary for a terminal. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "=== mqbench result: %s ===%n", label));
        b.append(String.format(Locale.ROOT, "namesrv            : %s, topic %s%n", namesrv, topic));
        b.append(String.format(Locale.ROOT, "load               : %d threads, %d B bodies, sync send, %.1f s measured%n",
                threads, bodySize, measuredSeconds));
        b.append(String.format(Locale.ROOT, "send TPS           : %.0f%n", sendTps));
        b.append(String.format(Locale.ROOT, "send latency (ms)  : p50 %s  p99 %s  p999 %s  max %s  mean %s%n",
                ms(p50Us), ms(p99Us), ms(p999Us), ms(maxUs), ms(meanUs)));
        b.append(String.format(Locale.ROOT, "sends ok / failed  : %d / %d%n", sentOk, failed));
        if (consumerOn()) {
            b.append(String.format(Locale.ROOT, "consume TPS        : %.0f%n", consumeTps));
            b.append(String.format(Locale.ROOT, "consumed / backlog : %d / %d (this run's messages, after drain)%n",
                    consumed, backlog));
        } else {
            b.append("consume TPS        : off (--no-consumers)\n");
        }
        return b.toString();
    }

    /** One markdown table row matching {@link #MARKDOWN_HEADER}. */
    public String markdownRow() {
        return String.format(Locale.ROOT, "| %s | %d | %d | %.0f | %.0f | %s | %s | %s | %s | %d | %s |",
                label.replace("|", "\\|"), threads, bodySize, measuredSeconds, sendTps,
                ms(p50Us), ms(p99Us), ms(p999Us), ms(maxUs), failed,
                consumerOn() ? String.format(Locale.ROOT, "%.0f", consumeTps) : "off");
    }

    static String ms(double micros) {
        return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }
}
