package io.rocketcluster.namesrv.route;

import io.netty.channel.embedded.EmbeddedChannel;
import io.rocketcluster.namesrv.TestClock;
import io.rocketcluster.remoting.data.BrokerData;
import io.rocketcluster.remoting.data.ClusterInfo;
import io.rocketcluster.remoting.data.DataVersion;
import io.rocketcluster.remoting.data.QueueData;
import io.rocketcluster.remoting.data.TopicConfig;
import io.rocketcluster.remoting.data.TopicConfigSerializeWrapper;
import io.rocketcluster.remoting.data.TopicList;
import io.rocketcluster.remoting.data.TopicRouteData;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RouteInfoManagerTest {
    private static final long EXPIRY = 120_000;
    private static final String CLUSTER = "DefaultCluster";
    private static final String A_MASTER = "10.0.0.1:10911";
    private static final String A_MASTER_HA = "10.0.0.1:10912";
    private static final String A_SLAVE = "10.0.0.2:10911";
    private static final String A_SLAVE_HA = "10.0.0.2:10912";
    private static final String B_MASTER = "10.0.0.3:10911";

    private final TestClock clock = new TestClock(1_000_000);
    private final RouteInfoManager routes = new RouteInfoManager(clock, EXPIRY);

    private static TopicConfigSerializeWrapper topics(long counter, TopicConfig... configs) {
        TopicConfigSerializeWrapper w = new TopicConfigSerializeWrapper();
        w.dataVersion = new DataVersion(counter, 1_700_000_000_000L + counter);
        for (TopicConfig c : configs) {
            w.topicConfigTable.put(c.topicName, c);
        }
        return w;
    }

    private static TopicConfig topic(String name, int queues, int perm) {
        return new TopicConfig(name, queues, queues, perm);
    }

    private RegisterBrokerResult register(String cluster, String addr, String name, long id, String ha,
                                          TopicConfigSerializeWrapper w, EmbeddedChannel channel) {
        return routes.registerBroker(cluster, addr, name, id, ha, w, List.of(), channel);
    }

    private QueueData queueData(String topic, String brokerName) {
        return routes.topicRoute(topic).orElseThrow().queueDatas.stream()
                .filter(q -> q.brokerName.equals(brokerName)).findFirst().orElseThrow();
    }

    @Test
    void masterRegistrationCreatesRouteAndClusterInfo() {
        RegisterBrokerResult r = register(CLUSTER, A_MASTER, "broker-a", 0, A_MASTER_HA,
                topics(1, topic("TopicA", 4, 6), topic("TopicB", 8, 7)), new EmbeddedChannel());
        assertThat(r).isEqualTo(RegisterBrokerResult.NONE);

        TopicRouteData route = routes.topicRoute("TopicA").orElseThrow();
        assertThat(route.queueDatas).singleElement().satisfies(q -> {
            assertThat(q.brokerName).isEqualTo("broker-a");
            assertThat(q.readQueueNums).isEqualTo(4);
            assertThat(q.writeQueueNums).isEqualTo(4);
            assertThat(q.perm).isEqualTo(6);
        });
        assertThat(route.brokerDatas).singleElement().satisfies(b -> {
            assertThat(b.cluster).isEqualTo(CLUSTER);
            assertThat(b.brokerName).isEqualTo("broker-a");
            assertThat(b.brokerAddrs).containsExactly(Map.entry(0L, A_MASTER));
        });
        assertThat(route.filterServerTable).isEmpty();

        ClusterInfo info = routes.clusterInfo();
        assertThat(info.clusterAddrTable).containsOnlyKeys(CLUSTER);
        assertThat(info.clusterAddrTable.get(CLUSTER)).containsExactly("broker-a");
        assertThat(info.brokerAddrTable.get("broker-a").brokerAddrs).containsExactly(Map.entry(0L, A_MASTER));
        assertThat(routes.allTopicList().topicList).containsExactly("TopicA", "TopicB");
        assertThat(routes.queryBrokerTopicConfig(A_MASTER)).isEqualTo(new DataVersion(1, 1_700_000_000_001L));
    }

    @Test
    void returnedDataIsACopy() {
        register(CLUSTER, A_MASTER, "broker-a", 0, A_MASTER_HA, topics(1, topic("TopicA", 4, 6)), new EmbeddedChannel());
        TopicRouteData route = routes.topicRoute("TopicA").orElseThrow();
        route.queueDatas.get(0).perm = 0;
        route.brokerDatas.get(0).brokerAddrs.clear();
        routes.clusterInfo().brokerAddrTable.get("broker-a").brokerAddrs.clear();
        assertThat(queueData("TopicA", "broker-a").perm).isEqualTo(6);
        assertThat(routes.topicRoute("TopicA").orElseThrow().brokerDatas.get(0).brokerAddrs).hasSize(1);
    }

    @Test
    void slaveIsToldItsLiveMastersHaAddress() {
        // a slave without a master learns nothing
        assertThat(register(CLUSTER, A_SLAVE, "broker-a", 1, A_SLAVE_HA, topics(1), new EmbeddedChannel()))
                .isEqualTo(RegisterBrokerResult.NONE);
        register(CLUSTER, A_MASTER, "broker-a", 0, A_MASTER_HA, topics(1, topic("TopicA", 4, 6)), new EmbeddedChannel());

        RegisterBrokerResult r = register(CLUSTER, A_SLAVE, "broker-a", 1, A_SLAVE_HA, topics(1), new EmbeddedChannel());
        assertThat(r.masterAddr()).isEqualTo(A_MASTER);
        assertThat(r.haServerAddr()).isEqualTo(A_MASTER_HA);
        assertThat(routes.topicRoute("TopicA").orElseThrow().brokerDatas.get(0).brokerAddrs)
                .containsExactly(Map.entry(0L, A_MASTER), Map.entry(1L, A_SLAVE));

        // once the master is gone the slave is told nothing
        routes.unregisterBroker(CLUSTER, A_MASTER, "broker-a", 0);
        assertThat(register(CLUSTER, A_SLAVE, "broker-a", 1, A_SLAVE_HA, topics(1), new EmbeddedChannel()))
                .isEqualTo(RegisterBrokerResult.NONE);
    }

    @Test
    void slaveRegistrationDoesNotChangeQueueData() {
        register(CLUSTER, A_SLAVE, "broker-a", 1, A_SLAVE_HA, topics(5, topic("OnlyOnSlave", 4, 6)), new EmbeddedChannel());
        assertThat(routes.topicRoute("OnlyOnSlave")).isEmpty();
        assertThat(routes.allTopicList().topicList).isEmpty();
    }

    @Test
    void masterQueueDataIsUpdatedOnlyWhenTheDataVersionChanges() {
        EmbeddedChannel ch = new EmbeddedChannel();
        register(CLUSTER, A_MASTER, "broker-a", 0, A_MASTER_HA, topics(1, topic("TopicA", 4, 6)), ch);
        assertThat(routes.wipeWritePermOfBroker("broker-a")).isEqualTo(1);
        assertThat(queueData("TopicA", "broker-a").perm).isEqualTo(4);

        // same version: the nameserver keeps its (wiped) view, new topics in the body are not read
        register(CLUSTER, A_MASTER, "broker-a", 0, A_MASTER_HA, topics(1, topic("TopicA", 4, 6), topic("TopicNew", 2, 6)), ch);
        assertThat(queueData("TopicA", "broker-a").perm).isEqualTo(4);
        assertThat(routes.topicRoute("TopicNew")).isEmpty();
        assertThat(routes.isBrokerTopicConfigChanged(A_MASTER, new DataVersion(1, 1_700_000_000_001L))).isFalse();
        assertThat(routes.isBrokerTopicConfigChanged(A_MASTER, new DataVersion(2, 1_700_000_000_002L))).isTrue();

        // new version: the body is applied; topics missing from the body are kept
        register(CLUSTER, A_MASTER, "broker-a", 0, A_MASTER_HA, topics(2, topic("TopicNew", 2, 6)), ch);
        assertThat(queueData("TopicNew", "broker-a").writeQueueNums).isEqualTo(2);
        assertThat(queueData("TopicA", "broker-a").perm).isEqualTo(4);
        register(CLUSTER, A_MASTER, "broker-a", 0, A_MASTER_HA, topics(3, topic("TopicA", 8, 6)), ch);
        assertThat(queueData("TopicA", "broker-a").perm).isEqualTo(6);
        assertThat(queueData("TopicA", "broker-a").readQueueNums).isEqualTo(8);
        assertThat(routes.allTopicList().topicList).containsExactly("TopicA", "TopicNew");
    }

    @Test
    void unknownAddressIsAlwaysChanged() {
        assertThat(routes.isBrokerTopicConfigChanged("1.2.3.4:10911", new DataVersion())).isTrue();
        assertThat(routes.queryBrokerTopicConfig("1.2.3.4:10911")).isNull();
    }

    @Test
    void slaveSwitchedToMasterReplacesItsIdAndAppliesTopicsAtTheSameVersion() {
        EmbeddedChannel ch = new EmbeddedChannel();
        register(CLUSTER, A_SLAVE, "broker-a", 1, A_SLAVE_HA, topics(7, topic("TopicA", 4, 6)), ch);
        assertThat(routes.topicRoute("TopicA")).isEmpty();

        // same address, now id 0, same data version: first registration as master applies the topics
        register(CLUSTER, A_SLAVE, "broker-a", 0, A_SLAVE_HA, topics(7, topic("TopicA", 4, 6)), ch);
        TopicRouteData route = routes.topicRoute("TopicA").orElseThrow();
        assertThat(route.brokerDatas.get(0).brokerAddrs).containsExactly(Map.entry(0L, A_SLAVE));
    }

    @Test
    void silentBrokersExpireAndTheirChannelIsClosed() {
        EmbeddedChannel aChannel = new EmbeddedChannel();
        EmbeddedChannel bChannel = new EmbeddedChannel();
        register(CLUSTER, A_MASTER, "broker-a", 0, A_MASTER_HA, topics(1, topic("TopicA", 4, 6)), aChannel);
        clock.advance(60_000);
        register(CLUSTER, B_MASTER, "broker-b", 0, "10.0.0.3:10912", topics(1, topic("TopicA", 4, 6)), bChannel);

        clock.advance(EXPIRY - 60_000);
        assertThat(routes.scanNotActiveBroker()).isZero(); // exactly at the limit: still alive
        clock.advance(1);
        assertThat(routes.scanNotActiveBroker()).isEqualTo(1);
        assertThat(aChannel.isOpen()).isFalse();
        assertThat(bChannel.isOpen()).isTrue();
        assertThat(routes.topicRoute("TopicA").orElseThrow().queueDatas).extracting(q -> q.brokerName)
                .containsExactly("broker-b");
        assertThat(routes.clusterInfo().brokerAddrTable).containsOnlyKeys("broker-b");
        assertThat(routes.clusterInfo().clusterAddrTable.get(CLUSTER)).containsExactly("broker-b");

        // a data-version heartbeat keeps broker-b alive
        clock.advance(EXPIRY);
        routes.updateBrokerInfoUpdateTimestamp(B_MASTER);
        clock.advance(EXPIRY);
        assertThat(routes.scanNotActiveBroker()).isZero();
        clock.advance(1);
        assertThat(routes.scanNotActiveBroker()).isEqualTo(1);
        assertThat(routes.topicRoute("TopicA")).isEmpty();
        assertThat(routes.allTopicList().topicList).isEmpty();
        assertThat(routes.clusterInfo().clusterAddrTable).isEmpty();
        assertThat(routes.clusterInfo().brokerAddrTable).isEmpty();
    }

    @Test
    void channelCloseRemovesOnlyTheBrokerOfThatChannel() {
        EmbeddedChannel master = new EmbeddedChannel();
        EmbeddedChannel slave = new EmbeddedChannel();
        register(CLUSTER, A_MASTER, "broker-a", 0, A_MASTER_HA, topics(1, topic("TopicA", 4, 6)), master);
        register(CLUSTER, A_SLAVE, "broker-a", 1, A_SLAVE_HA, topics(1), slave);

        routes.onChannelDestroy("10.9.9.9:5555", new EmbeddedChannel()); // a client: nothing happens
        assertThat(routes.clusterInfo().brokerAddrTable.get("broker-a").brokerAddrs).hasSize(2);

        routes.onChannelDestroy("10.0.0.1:40000", master);
        BrokerData bd = routes.clusterInfo().brokerAddrTable.get("broker-a");
        assertThat(bd.brokerAddrs).containsExactly(Map.entry(1L, A_SLAVE));
        // the slave keeps the broker name, so its queue data (and the route) stay for consumers
        assertThat(routes.topicRoute("TopicA")).isPresent();
        assertThat(routes.isBrokerTopicConfigChanged(A_MASTER, new DataVersion(1, 1_700_000_000_001L))).isTrue();

        routes.onChannelDestroy("10.0.0.2:40001", slave);
        assertThat(routes.topicRoute("TopicA")).isEmpty();
        assertThat(routes.clusterInfo().brokerAddrTable).isEmpty();
        assertThat(routes.clusterInfo().clusterAddrTable).isEmpty();
    }

    @Test
    void unregisterRemovesByIdAndTheBrokerNameWithTheLastAddress() {
        register(CLUSTER, A_MASTER, "broker-a", 0, A_MASTER_HA, topics(1, topic("TopicA", 4, 6)), new EmbeddedChannel());
        register(CLUSTER, A_SLAVE, "broker-a", 1, A_SLAVE_HA, topics(1), new EmbeddedChannel());
        routes.unregisterBroker(CLUSTER, A_SLAVE, "broker-a", 1);
        assertThat(routes.clusterInfo().brokerAddrTable.get("broker-a").brokerAddrs).containsOnlyKeys(0L);
        routes.unregisterBroker(CLUSTER, A_MASTER, "broker-a", 0);
        assertThat(routes.topicRoute("TopicA")).isEmpty();
        assertThat(routes.clusterInfo().clusterAddrTable).isEmpty();
        assertThat(routes.queryBrokerTopicConfig(A_MASTER)).isNull();
    }

    @Test
    void wipeAndAddWritePermCountTopicsOfThatBrokerOnly() {
        register(CLUSTER, A_MASTER, "broker-a", 0, A_MASTER_HA,
                topics(1, topic("T1", 4, 6), topic("T2", 4, 7), topic("T3", 4, 4)), new EmbeddedChannel());
        register(CLUSTER, B_MASTER, "broker-b", 0, "10.0.0.3:10912", topics(1, topic("T1", 4, 6)), new EmbeddedChannel());

        assertThat(routes.wipeWritePermOfBroker("broker-a")).isEqualTo(3);
        assertThat(queueData("T1", "broker-a").perm).isEqualTo(4);
        assertThat(queueData("T2", "broker-a").perm).isEqualTo(5); // INHERIT and READ kept
        assertThat(queueData("T3", "broker-a").perm).isEqualTo(4);
        assertThat(queueData("T1", "broker-b").perm).isEqualTo(6);

        assertThat(routes.addWritePermOfBroker("broker-a")).isEqualTo(3);
        assertThat(queueData("T1", "broker-a").perm).isEqualTo(6);
        assertThat(queueData("T2", "broker-a").perm).isEqualTo(6);
        assertThat(routes.wipeWritePermOfBroker("no-such-broker")).isZero();
    }

    @Test
    void deleteTopicWithAndWithoutCluster() {
        register("c1", A_MASTER, "broker-a", 0, A_MASTER_HA, topics(1, topic("T", 4, 6), topic("U", 4, 6)), new EmbeddedChannel());
        register("c2", B_MASTER, "broker-b", 0, "10.0.0.3:10912", topics(1, topic("T", 4, 6)), new EmbeddedChannel());

        routes.deleteTopic("T", "c1");
        assertThat(routes.topicRoute("T").orElseThrow().queueDatas).extracting(q -> q.brokerName).containsExactly("broker-b");
        routes.deleteTopic("T", "no-such-cluster");
        assertThat(routes.topicRoute("T")).isPresent();
        routes.deleteTopic("T", "c2");
        assertThat(routes.topicRoute("T")).isEmpty();
        assertThat(routes.allTopicList().topicList).containsExactly("U");

        routes.deleteTopic("U");
        assertThat(routes.topicRoute("U")).isEmpty();
        assertThat(routes.allTopicList().topicList).isEmpty();
        // brokers stay registered
        assertThat(routes.clusterInfo().brokerAddrTable).containsOnlyKeys("broker-a", "broker-b");
    }

    @Test
    void unknownTopicHasNoRoute() {
        register(CLUSTER, A_MASTER, "broker-a", 0, A_MASTER_HA, topics(1, topic("TopicA", 4, 6)), new EmbeddedChannel());
        assertThat(routes.topicRoute("Nope")).isEmpty();
    }

    @Test
    void topicListsByClusterSystemAndUnitFlags() {
        TopicConfig unit = topic("Unit", 1, 6);
        unit.topicSysFlag = 0x1;
        TopicConfig unitSub = topic("UnitSub", 1, 6);
        unitSub.topicSysFlag = 0x2;
        TopicConfig both = topic("Both", 1, 6);
        both.topicSysFlag = 0x3;
        register("c1", A_MASTER, "broker-a", 0, A_MASTER_HA, topics(1, topic("Plain", 1, 6), unit, unitSub, both),
                new EmbeddedChannel());
        register("c2", B_MASTER, "broker-b", 0, "10.0.0.3:10912", topics(1, topic("OnB", 1, 6)), new EmbeddedChannel());

        assertThat(routes.topicsByCluster("c1").topicList).containsExactly("Both", "Plain", "Unit", "UnitSub");
        assertThat(routes.topicsByCluster("c2").topicList).containsExactly("OnB");
        assertThat(routes.topicsByCluster("none").topicList).isEmpty();

        TopicList system = routes.systemTopicList();
        assertThat(system.topicList).containsExactly("broker-a", "broker-b", "c1", "c2");
        assertThat(system.brokerAddr).isIn(A_MASTER, B_MASTER);

        assertThat(routes.unitTopics().topicList).containsExactly("Both", "Unit");
        assertThat(routes.hasUnitSubTopics().topicList).containsExactly("Both", "UnitSub");
        assertThat(routes.hasUnitSubUnUnitTopics().topicList).containsExactly("UnitSub");
    }

    @Test
    void systemTopicListIsEmptyWithoutBrokers() {
        TopicList system = routes.systemTopicList();
        assertThat(system.topicList).isEmpty();
        assertThat(system.brokerAddr).isNull();
    }

    @Test
    void filterServersAreStoredAndShownInTheRoute() {
        EmbeddedChannel ch = new EmbeddedChannel();
        routes.registerBroker(CLUSTER, A_MASTER, "broker-a", 0, A_MASTER_HA, topics(1, topic("TopicA", 4, 6)),
                List.of("10.0.0.1:3000"), ch);
        assertThat(routes.topicRoute("TopicA").orElseThrow().filterServerTable)
                .containsExactly(Map.entry(A_MASTER, List.of("10.0.0.1:3000")));
        routes.registerBroker(CLUSTER, A_MASTER, "broker-a", 0, A_MASTER_HA, topics(1, topic("TopicA", 4, 6)),
                List.of(), ch);
        assertThat(routes.topicRoute("TopicA").orElseThrow().filterServerTable).isEmpty();
    }
}
