package io.rocketcluster.broker.acl;

import io.rocketcluster.broker.TestBrokers;
import io.rocketcluster.broker.TestPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** No silent security: a security key the broker cannot honour stops it at start, naming the key. */
class SecurityKeysTest {
    @TempDir
    Path dir;

    @Test
    void enforcedTlsWithoutACertificateStopsTheBrokerRatherThanRunningInPlaintext() {
        assertThatThrownBy(() -> TestBrokers.start(dir, TestPorts.freeBrokerPort(), "tls",
                Map.of("tls.server.mode", "enforcing")))
                .isInstanceOf(io.rocketcluster.remoting.config.ConfigException.class)
                .hasMessageContaining("tls.server.certPath");
        assertThatThrownBy(() -> TestBrokers.start(dir, TestPorts.freeBrokerPort(), "tls",
                Map.of("tls.server.mode", "permissive", "tls.server.certPath", dir.resolve("absent.pem").toString(),
                        "tls.server.keyPath", dir.resolve("absent.key").toString())))
                .hasMessageContaining("tls.server.certPath");
        assertThatThrownBy(() -> TestBrokers.start(dir, TestPorts.freeBrokerPort(), "tls",
                Map.of("tls.server.moed", "enforcing")))
                .isInstanceOf(io.rocketcluster.remoting.config.ConfigException.class)
                .hasMessageContaining("tls.server.moed");
    }

    @Test
    void aclEnableWithoutAnAccountsFileStopsTheBroker() {
        assertThatThrownBy(() -> TestBrokers.start(dir, TestPorts.freeBrokerPort(), "acl",
                Map.of("aclEnable", "true", "rocketmqHome", dir.toString())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no plain_acl.yml was found");
    }

    @Test
    void theBrokersOwnSecretIsNeverShownByGetBrokerConfig() throws Exception {
        int port = TestPorts.freeBrokerPort();
        io.rocketcluster.broker.BrokerController broker = TestBrokers.start(dir, port, "secret",
                Map.of("brokerAccessKey", "replicator", "brokerSecretKey", "doNotShowThis"));
        try (io.rocketcluster.remoting.netty.NettyRemotingClient client =
                     new io.rocketcluster.remoting.netty.NettyRemotingClient("config-reader")) {
            var response = client.invokeSync("127.0.0.1:" + port, io.rocketcluster.remoting.protocol.RemotingCommand
                    .request(io.rocketcluster.remoting.protocol.RequestCode.GET_BROKER_CONFIG), 5000);
            String body = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
            org.assertj.core.api.Assertions.assertThat(body).contains("brokerAccessKey=replicator")
                    .contains("brokerSecretKey=******").doesNotContain("doNotShowThis");
        } finally {
            broker.shutdown();
        }
    }
}
