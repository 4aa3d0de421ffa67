package io.rocketcluster.remoting.acl;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RemoteAddressPatternTest {
    private static boolean matches(String pattern, String ip) {
        return RemoteAddressPattern.parse(pattern).matches(ip);
    }

    @Test
    void blankMatchesNobodyAndStarEverybody() {
        assertThat(matches("", "127.0.0.1")).isFalse();
        assertThat(matches(null, "127.0.0.1")).isFalse();
        assertThat(matches("*", "10.1.2.3")).isTrue();
        assertThat(matches("*.*.*.*", "10.1.2.3")).isTrue();
    }

    @Test
    void literalsListsEnumerationsAndRanges() {
        assertThat(matches("127.0.0.1", "127.0.0.1")).isTrue();
        assertThat(matches("127.0.0.1", "127.0.0.2")).isFalse();
        assertThat(matches("10.0.0.1,10.0.0.2", "10.0.0.2")).isTrue();
        assertThat(matches("10.0.0.1,10.0.0.2", "10.0.0.3")).isFalse();
        assertThat(matches("192.168.1.{1,2,3}", "192.168.1.3")).isTrue();
        assertThat(matches("192.168.1.{1,2,3}", "192.168.1.4")).isFalse();
        assertThat(matches("192.168.0.*", "192.168.0.200")).isTrue();
        assertThat(matches("192.168.0.*", "192.168.1.200")).isFalse();
        assertThat(matches("192.168.1.1-100", "192.168.1.100")).isTrue();
        assertThat(matches("192.168.1.1-100", "192.168.1.101")).isFalse();
        assertThat(matches("10.*", "10.200.3.4")).isTrue();
        // as RocketMQ: octets after the range are ignored
        assertThat(matches("192.168.*.1-100", "192.168.7.200")).isTrue();
    }

    @Test
    void ipv6IsComparedInFullForm() {
        assertThat(matches("::1", "0:0:0:0:0:0:0:1")).isTrue();
        assertThat(matches("0:0:0:0:0:0:0:1", "::1")).isTrue();
        assertThat(matches("::1", "127.0.0.1")).isFalse();
    }

    @Test
    void patternsRocketMqRefusesAreRefused() {
        for (String bad : new String[] {"192.168.1.1,2,3", "300.1.1.1", "*.1.1.1", "hostname", "192.168.1.5-2"}) {
            assertThatThrownBy(() -> RemoteAddressPattern.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Netaddress examine Exception");
        }
    }
}
