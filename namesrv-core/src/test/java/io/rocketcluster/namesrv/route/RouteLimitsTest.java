package io.rocketcluster.namesrv.route;

import io.netty.channel.embedded.EmbeddedChannel;
import io.rocketcluster.namesrv.LimitExceededException;
import io.rocketcluster.namesrv.TestClock;
import io.rocketcluster.remoting.data.DataVersion;
import io.rocketcluster.remoting.data.TopicConfig;
import io.rocketcluster.remoting.data.TopicConfigSerializeWrapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** registerMaxBrokers and registerMaxTopics: a registration past either is refused whole, naming the key. */
class RouteLimitsTest {
    private final RouteInfoManager routes = new RouteInfoManager(new TestClock(1_000_000), 120_000, 2, 5);

    private static TopicConfigSerializeWrapper topics(long version, String... names) {
        TopicConfigSerializeWrapper w = new TopicConfigSerializeWrapper();
        w.dataVersion = new DataVersion(version, version);
        for (String n : names) {
            w.topicConfigTable.put(n, new TopicConfig(n, 4, 4, 6));
        }
        return w;
    }

    private void register(String addr, String name, TopicConfigSerializeWrapper w) {
        routes.registerBroker("C", addr, name, 0, addr + "1", w, List.of(), new EmbeddedChannel());
    }

    @Test
    void oneBrokerMoreThanTheLimitIsRefusedWhileKnownOnesKeepRegistering() {
        register("127.0.0.1:1", "a", topics(1, "T1"));
        register("127.0.0.1:2", "b", topics(1, "T2"));
        assertThatThrownBy(() -> register("127.0.0.1:3", "c", topics(1, "T3")))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("registerMaxBrokers=2");
        assertThat(routes.topicRoute("T3")).isEmpty();
        assertThat(routes.clusterInfo().brokerAddrTable).doesNotContainKey("c");
        register("127.0.0.1:1", "a", topics(2, "T1", "T4"));
        assertThat(routes.topicRoute("T4")).isPresent();
    }

    @Test
    void aRegistrationAddingTooManyTopicsIsRefusedWhole() {
        register("127.0.0.1:1", "a", topics(1, "T1", "T2", "T3"));
        assertThatThrownBy(() -> register("127.0.0.1:1", "a", topics(2, "T1", "T2", "T3", "T4", "T5", "T6")))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("registerMaxTopics=5");
        assertThat(routes.topicRoute("T4")).isEmpty();
        register("127.0.0.1:1", "a", topics(3, "T1", "T2", "T3", "T4", "T5"));
        assertThat(routes.topicRoute("T5")).isPresent();
    }
}
