package io.rocketcluster.broker.config;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** storeHost for a brokerIP1 that resolves at once, late (a new pod's DNS record), or never. */
class NetworkAddressesTest {
    private static final Duration TICK = Duration.ofMillis(1);

    @Test
    void anIpLiteralIsTakenAsItIs() throws Exception {
        InetSocketAddress a = NetworkAddresses.storeHost("127.0.0.1", 10911, Duration.ZERO, TICK, HostResolver.SYSTEM);
        assertThat(a).isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 10911));
    }

    @Test
    void aNameThatAppearsLateIsWaitedFor() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        HostResolver lateRecord = host -> {
            if (lookups.incrementAndGet() < 3) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[]{InetAddress.getByName("10.1.2.3")};
        };
        InetSocketAddress a = NetworkAddresses.storeHost("broker-a-0.broker-a.ns.svc", 10911, Duration.ofSeconds(30),
                TICK, lateRecord);
        assertThat(a.getAddress().getHostAddress()).isEqualTo("10.1.2.3");
        assertThat(a.getPort()).isEqualTo(10911);
        assertThat(lookups).hasValue(3);
    }

    @Test
    void aNameThatNeverResolvesFallsBackToTheLocalAddressAfterTheWait() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        HostResolver never = host -> {
            lookups.incrementAndGet();
            throw new UnknownHostException(host);
        };
        InetSocketAddress a = NetworkAddresses.storeHost("no-such-host.invalid", 10911, Duration.ofMillis(50), TICK, never);
        assertThat(a).isEqualTo(new InetSocketAddress(InetAddress.getByName(NetworkAddresses.localAddress()), 10911));
        assertThat(lookups.get()).isGreaterThan(1);
    }

    @Test
    void theSystemResolverFallsBackForAReservedInvalidName() throws Exception {
        InetSocketAddress a = NetworkAddresses.storeHost("no-such-host.invalid", 10911, Duration.ZERO, TICK,
                HostResolver.SYSTEM);
        assertThat(a.getAddress()).isEqualTo(InetAddress.getByName(NetworkAddresses.localAddress()));
    }
}
