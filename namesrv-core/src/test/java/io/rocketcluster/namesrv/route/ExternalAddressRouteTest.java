package io.rocketcluster.namesrv.route;

import io.netty.channel.embedded.EmbeddedChannel;
import io.rocketcluster.namesrv.TestClock;
import io.rocketcluster.remoting.data.DataVersion;
import io.rocketcluster.remoting.data.TopicConfig;
import io.rocketcluster.remoting.data.TopicConfigSerializeWrapper;
import io.rocketcluster.remoting.data.TopicRouteData;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The external view: the same tables, answered in the addresses brokers gave for outside clients. */
class ExternalAddressRouteTest {
    private static final String CLUSTER = "DefaultCluster";
    private final RouteInfoManager routes = new RouteInfoManager(new TestClock(1_000_000), 120_000);

    private static TopicConfigSerializeWrapper topics(TopicConfig... configs) {
        TopicConfigSerializeWrapper w = new TopicConfigSerializeWrapper();
        w.dataVersion = new DataVersion(1, 1_700_000_000_000L);
        for (TopicConfig c : configs) {
            w.topicConfigTable.put(c.topicName, c);
        }
        return w;
    }

    private void registerPair() {
        routes.registerBroker(CLUSTER, "broker-a-master:10911", "broker-a", 0, "broker-a-master:10912",
                "127.0.0.1:10911", topics(new TopicConfig("TopicA", 4, 4, 6)), List.of(), new EmbeddedChannel());
        routes.registerBroker(CLUSTER, "broker-a-slave:10911", "broker-a", 1, "broker-a-slave:10912",
                "127.0.0.1:11911", topics(), List.of(), new EmbeddedChannel());
        // an Apache broker sends no external address: both views show the one it registered
        routes.registerBroker(CLUSTER, "broker-b:10911", "broker-b", 0, "broker-b:10912",
                topics(new TopicConfig("TopicA", 4, 4, 6)), List.of(), new EmbeddedChannel());
    }

    @Test
    void internalViewIsUnchanged() {
        registerPair();
        TopicRouteData route = routes.topicRoute("TopicA").orElseThrow();
        assertThat(route.brokerDatas).hasSize(2);
        assertThat(route.brokerDatas.get(0).brokerAddrs).containsExactly(
                Map.entry(0L, "broker-a-master:10911"), Map.entry(1L, "broker-a-slave:10911"));
        assertThat(routes.clusterInfo().brokerAddrTable.get("broker-a").brokerAddrs)
                .containsValues("broker-a-master:10911", "broker-a-slave:10911");
    }

    @Test
    void externalViewAnswersTheExternalAddressWhereOneWasGiven() {
        registerPair();
        TopicRouteData route = routes.topicRoute("TopicA", true).orElseThrow();
        assertThat(route.brokerDatas.get(0).brokerAddrs).containsExactly(
                Map.entry(0L, "127.0.0.1:10911"), Map.entry(1L, "127.0.0.1:11911"));
        assertThat(route.brokerDatas.get(1).brokerAddrs).containsExactly(Map.entry(0L, "broker-b:10911"));
        assertThat(routes.clusterInfo(true).brokerAddrTable.get("broker-a").brokerAddrs)
                .containsExactly(Map.entry(0L, "127.0.0.1:10911"), Map.entry(1L, "127.0.0.1:11911"));
        assertThat(routes.systemTopicList(true).brokerAddr).isEqualTo("127.0.0.1:10911");
        assertThat(routes.systemTopicList(false).brokerAddr).isEqualTo("broker-a-master:10911");
    }

    @Test
    void externalViewDoesNotChangeTheTables() {
        registerPair();
        routes.topicRoute("TopicA", true);
        routes.clusterInfo(true);
        assertThat(routes.topicRoute("TopicA").orElseThrow().brokerDatas.get(0).brokerAddrs.get(0L))
                .isEqualTo("broker-a-master:10911");
    }

    @Test
    void slaveIsToldTheMastersInternalAddresses() {
        registerPair();
        RegisterBrokerResult r = routes.registerBroker(CLUSTER, "broker-a-slave:10911", "broker-a", 1,
                "broker-a-slave:10912", "127.0.0.1:11911", topics(), List.of(), new EmbeddedChannel());
        assertThat(r.masterAddr()).isEqualTo("broker-a-master:10911");
        assertThat(r.haServerAddr()).isEqualTo("broker-a-master:10912");
    }

    @Test
    void reRegistrationChangesOrDropsTheExternalAddress() {
        registerPair();
        routes.registerBroker(CLUSTER, "broker-a-master:10911", "broker-a", 0, "broker-a-master:10912",
                "127.0.0.1:20911", topics(new TopicConfig("TopicA", 4, 4, 6)), List.of(), new EmbeddedChannel());
        assertThat(routes.topicRoute("TopicA", true).orElseThrow().brokerDatas.get(0).brokerAddrs.get(0L))
                .isEqualTo("127.0.0.1:20911");
        routes.registerBroker(CLUSTER, "broker-a-master:10911", "broker-a", 0, "broker-a-master:10912",
                " ", topics(new TopicConfig("TopicA", 4, 4, 6)), List.of(), new EmbeddedChannel());
        assertThat(routes.topicRoute("TopicA", true).orElseThrow().brokerDatas.get(0).brokerAddrs.get(0L))
                .isEqualTo("broker-a-master:10911");
    }

    @Test
    void aBrokerThatLeavesLeavesBothViews() {
        registerPair();
        routes.unregisterBroker(CLUSTER, "broker-a-master:10911", "broker-a", 0);
        assertThat(routes.topicRoute("TopicA", true).orElseThrow().brokerDatas.get(0).brokerAddrs)
                .containsExactly(Map.entry(1L, "127.0.0.1:11911"));
    }
}
