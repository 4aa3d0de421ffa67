package io.rocketcluster.remoting.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BindAddressTest {
    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "127.0.0.1", " 10.0.0.7 ", "localhost", "metrics.local", "broker-a-0.broker-a.ns.svc",
            "::", "::1", "fe80::1%eth0", "[::1]"})
    void addressesAndHostNamesAreTaken(String value) {
        assertThat(BindAddress.check(value)).isEqualTo(value.trim().replace("[", "").replace("]", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "http://127.0.0.1", "127.0.0.1:9100", "../../etc/passwd", "a b", "host\nname",
            "-leading-dash", "under_score", "x..y", "[::1", "\u0000", "é.example"})
    void anythingElseIsRefusedSayingWhatIsExpected(String value) {
        assertThatThrownBy(() -> BindAddress.check(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an IP address or host name, 0.0.0.0 for every interface");
    }

    @org.junit.jupiter.api.Test
    void nullAndOverlongNamesAreRefused() {
        assertThatThrownBy(() -> BindAddress.check(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BindAddress.check("a".repeat(63) + ("." + "b".repeat(63)).repeat(3) + ".c"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
