package io.rocketcluster.remoting.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class HealthProbeTest {
    @Test
    void readyIs200AndNotReadyIs503() throws Exception {
        AtomicReference<String> reason = new AtomicReference<>("store recovering");
        try (MetricsServer server = MetricsServer.start("probe-test", 0, new PrometheusRegistry(), reason::get)) {
            assertThat(HealthProbe.probe(server.port(), "/health/ready")).isEqualTo(503);
            assertThat(HealthProbe.probe(server.port(), "/health/live")).isEqualTo(200);
            reason.set(null);
            assertThat(HealthProbe.probe(server.port(), "/health/ready")).isEqualTo(200);
        }
    }

    @Test
    void theBindAddressIsTheOneConfigured() throws Exception {
        try (MetricsServer local = MetricsServer.start("bind-test", "127.0.0.1", 0, new PrometheusRegistry(), () -> null);
             MetricsServer any = MetricsServer.start("bind-test", "0.0.0.0", 0, new PrometheusRegistry(), () -> null)) {
            org.assertj.core.api.Assertions.assertThat(local.address().getAddress().isLoopbackAddress()).isTrue();
            org.assertj.core.api.Assertions.assertThat(any.address().getAddress().isAnyLocalAddress()).isTrue();
            org.assertj.core.api.Assertions.assertThat(HealthProbe.probe(local.port(), "/health/ready")).isEqualTo(200);
        }
    }

    @Test
    void nothingListeningIsMinusOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThat(HealthProbe.probe(port, "/health/ready")).isEqualTo(-1);
    }
}
