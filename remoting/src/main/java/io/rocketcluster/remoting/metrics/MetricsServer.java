package io.rocketcluster.remoting.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server's HTTP port for operations: {@code /metrics} (Prometheus text format, with the JVM's
 * metrics added to the registry), {@code /health/live} (200 while the process serves HTTP at all)
 * and {@code /health/ready} (200 {@code READY}, or 503 with the {@link Readiness} reason). Any other
 * path is 404. Binds the address it is given (the servers' {@code metricsBindAddress}, default every
 * interface: probes and scrapers come from outside a container).
 *
 * <p>Thread-safe; two daemon threads serve the requests.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(MetricsServer.class);

    private final HttpServer http;
    private final ExecutorService executor;

    private MetricsServer(HttpServer http, ExecutorService executor) {
        this.http = http;
        this.executor = executor;
    }

    /**
     * Starts serving {@code registry} on {@code port} (0 = an ephemeral port, for tests).
     *
     * @throws IOException when the port cannot be bound
     */
    public static MetricsServer start(String name, int port, PrometheusRegistry registry, Readiness readiness)
            throws IOException {
        return start(name, "0.0.0.0", port, registry, readiness);
    }

    /**
     * As above, listening on {@code bindAddress} only (an IP address or host name; 0.0.0.0 = every interface).
     *
     * @throws IOException when the address cannot be bound
     */
    public static MetricsServer start(String name, String bindAddress, int port, PrometheusRegistry registry,
                                      Readiness readiness) throws IOException {
        JvmMetrics.builder().register(registry);
        HttpServer http = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, name + "-metrics-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        MetricsHandler metrics = new MetricsHandler(registry);
        http.createContext("/metrics", ex -> {
            if (!ex.getRequestURI().getPath().equals("/metrics")) {
                reply(ex, 404, "not found\n");
                return;
            }
            metrics.handle(ex);
        });
        http.createContext("/health/live", ex -> reply(ex, 200, "OK\n"));
        http.createContext("/health/ready", ex -> {
            String reason;
            try {
                reason = readiness.notReadyReason();
            } catch (RuntimeException e) {
                reason = "readiness check failed: " + e;
            }
            if (reason == null) {
                reply(ex, 200, "READY\n");
            } else {
                reply(ex, 503, "NOT READY: " + reason + "\n");
            }
        });
        http.createContext("/", ex -> reply(ex, 404, "not found; try /metrics, /health/live, /health/ready\n"));
        http.start();
        LOG.info("{} serves /metrics, /health/live and /health/ready on {}:{}", name, bindAddress, http.getAddress().getPort());
        return new MetricsServer(http, executor);
    }

    private static void reply(HttpExchange ex, int status, String text) throws IOException {
        try (ex) {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            boolean head = "HEAD".equalsIgnoreCase(ex.getRequestMethod());
            ex.sendResponseHeaders(status, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** The bound port. */
    public int port() {
        return http.getAddress().getPort();
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
