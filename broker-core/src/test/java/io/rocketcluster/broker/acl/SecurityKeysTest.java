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
    void useTlsStopsTheBrokerRatherThanRunningInPlaintext() {
        assertThatThrownBy(() -> TestBrokers.start(dir, TestPorts.freeBrokerPort(), "tls", Map.of("useTLS", "true")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("useTLS=true");
    }

    @Test
    void aclEnableWithoutAnAccountsFileStopsTheBroker() {
        assertThatThrownBy(() -> TestBrokers.start(dir, TestPorts.freeBrokerPort(), "acl",
                Map.of("aclEnable", "true", "rocketmqHome", dir.toString())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no plain_acl.yml was found");
    }
}
