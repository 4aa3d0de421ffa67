package io.rocketcluster.admin;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** Exit codes without any server: usage errors are 2, an unreachable nameserver is 3. */
class MqAdminTest {
    @Test
    void usageErrorsExitWith2() {
        assertThat(MqAdmin.run("noSuchCommand")).isEqualTo(2);
        assertThat(MqAdmin.run("updateTopic", "-n", "127.0.0.1:1", "-t", "T")).isEqualTo(2); // neither -b nor -c
        assertThat(MqAdmin.run("updateTopic", "-n", "127.0.0.1:1", "-t", "T", "-b", "a:1", "-c", "c")).isEqualTo(2);
        assertThat(MqAdmin.run("topicRoute", "-n", "127.0.0.1:1")).isEqualTo(2); // -t missing
        assertThat(MqAdmin.run("resetOffsetByTime", "-n", "127.0.0.1:1", "-g", "g", "-t", "t", "-s", "yesterday"))
                .isEqualTo(2);
        assertThat(MqAdmin.run("queryMsgById", "-n", "127.0.0.1:1", "-i", "XYZ")).isEqualTo(2);
    }

    @Test
    void anUnreachableNameserverExitsWith3() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThat(MqAdmin.run("clusterList", "-n", "127.0.0.1:" + port, "--timeout", "1000")).isEqualTo(3);
        assertThat(MqAdmin.run("topicList", "-n", "127.0.0.1:" + port + ";127.0.0.1:" + port)).isEqualTo(3);
    }

    @Test
    void helpExitsWith0() {
        assertThat(MqAdmin.run("--help")).isZero();
        assertThat(MqAdmin.run("clusterList", "--help")).isZero();
    }

    @Test
    void timestampsInRocketMqForms() {
        assertThat(GroupCommands.parseTimestamp("now")).isEqualTo(-1);
        assertThat(GroupCommands.parseTimestamp("1700000000000")).isEqualTo(1700000000000L);
        assertThat(GroupCommands.parseTimestamp("2024-01-02#03:04:05:006")).isPositive();
    }
}
