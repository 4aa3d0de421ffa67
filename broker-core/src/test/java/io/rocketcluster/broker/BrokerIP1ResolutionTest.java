package io.rocketcluster.broker;

import io.rocketcluster.broker.config.NetworkAddresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A brokerIP1 DNS name that never resolves does not stop start-up and is still what the broker advertises. */
class BrokerIP1ResolutionTest {
    @TempDir
    Path dir;

    @Test
    void unresolvableBrokerIP1StartsWithTheLocalAddressInMessageIdsAndAdvertisesTheName() throws Exception {
        int port = TestPorts.freeBrokerPort();
        BrokerController broker = TestBrokers.start(dir, port, "dns-broker",
                Map.of("brokerIP1", "no-such-host.invalid"), Duration.ofMillis(100));
        try {
            assertThat(broker.storeHost().getAddress()).isEqualTo(InetAddress.getByName(NetworkAddresses.localAddress()));
            assertThat(broker.storeHost().getPort()).isEqualTo(port);
            assertThat(broker.brokerConfig().brokerAddr()).isEqualTo("no-such-host.invalid:" + port);
            assertThat(broker.notReadyReason()).isEqualTo("no nameserver configured (namesrvAddr)");
        } finally {
            broker.shutdown();
        }
    }
}
