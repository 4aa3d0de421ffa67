package io.rocketcluster.remoting.metrics;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.rocketcluster.remoting.netty.RequestObserver;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request latency per request code ({@code rocketcluster_request_latency_seconds}, a histogram with
 * the {@code code} label) and served requests per code and response code
 * ({@code rocketcluster_requests_total}). Attach to every remoting endpoint of a server with
 * {@code setRequestObserver}. Thread-safe.
 */
public final class RequestMetrics implements RequestObserver {
    /** Seconds; a send with SYNC_FLUSH or a SYNC_MASTER ack lands in the low buckets, a long poll in the high ones. */
    static final double[] BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
            0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final Histogram latency;
    private final Counter requests;
    private final Map<Integer, DistributionDataPoint> byCode = new ConcurrentHashMap<>();

    public RequestMetrics(PrometheusRegistry registry) {
        latency = Histogram.builder()
                .name("rocketcluster_request_latency_seconds")
                .help("Time from receiving a remoting request to handing its response to the network, by request code")
                .labelNames("code")
                .classicOnly()
                .classicUpperBounds(BUCKETS)
                .register(registry);
        requests = Counter.builder()
                .name("rocketcluster_requests_total")
                .help("Remoting requests served, by request code and response code (-1: oneway or unanswered)")
                .labelNames("code", "response_code")
                .register(registry);
    }

    @Override
    public void served(int code, long nanos, int responseCode) {
        byCode.computeIfAbsent(code, c -> latency.labelValues(Integer.toString(c))).observe(nanos / 1e9);
        requests.labelValues(Integer.toString(code), Integer.toString(responseCode)).inc();
    }
}
