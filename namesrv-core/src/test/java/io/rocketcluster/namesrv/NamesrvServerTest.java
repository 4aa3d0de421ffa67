package io.rocketcluster.namesrv;

import io.netty.channel.Channel;
import io.rocketcluster.namesrv.processor.RegisterBrokerBodyCodec;
import io.rocketcluster.remoting.data.ClusterInfo;
import io.rocketcluster.remoting.data.DataVersion;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.KVTable;
import io.rocketcluster.remoting.data.RegisterBrokerBody;
import io.rocketcluster.remoting.data.TopicConfig;
import io.rocketcluster.remoting.data.TopicList;
import io.rocketcluster.remoting.data.TopicRouteData;
import io.rocketcluster.remoting.netty.NettyRemotingClient;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import io.rocketcluster.remoting.protocol.SerializeType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A real name server on an ephemeral port, driven over TCP in both header serializations. */
class NamesrvServerTest {
    private static final String CLUSTER = "DefaultCluster";
    private static final String A_MASTER = "127.0.0.1:10911";
    private static final String A_MASTER_HA = "127.0.0.1:10912";
    private static final String A_SLAVE = "127.0.0.1:11911";

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private NamesrvController namesrv;
    private String addr;
    private NettyRemotingClient client;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private void start(Consumer<NamesrvConfig> settings) throws Exception {
        NamesrvConfiguration configuration = NamesrvConfiguration.defaults();
        NamesrvConfig c = configuration.namesrvConfig();
        c.setListenPort(0);
        c.setKvConfigPath(dir.resolve("kvConfig.json").toString());
        c.setConfigStorePath(dir.resolve("namesrv.properties").toString());
        configuration.nettyServerConfig().setServerWorkerThreads(2);
        configuration.nettyServerConfig().setServerSelectorThreads(1);
        settings.accept(c);
        namesrv = new NamesrvController(configuration);
        closeables.add(namesrv);
        namesrv.start();
        addr = "127.0.0.1:" + namesrv.listenPort();
        client = newClient("test-client");
    }

    private void start() throws Exception {
        start(c -> { });
    }

    private NettyRemotingClient newClient(String name) {
        NettyRemotingClient c = new NettyRemotingClient(name);
        closeables.add(c);
        return c;
    }

    private RemotingCommand call(SerializeType type, RemotingCommand request) throws Exception {
        return call(client, type, request);
    }

    private RemotingCommand call(NettyRemotingClient via, SerializeType type, RemotingCommand request) throws Exception {
        request.serializeType(type);
        RemotingCommand response = via.invokeSync(addr, request, 5000);
        assertThat(response.isResponse()).isTrue();
        assertThat(response.opaque()).isEqualTo(request.opaque());
        assertThat(response.serializeType()).as("response serialization").isEqualTo(type);
        return response;
    }

    private static RegisterBrokerBody body(long counter, TopicConfig... topics) {
        RegisterBrokerBody b = new RegisterBrokerBody();
        b.topicConfigSerializeWrapper.dataVersion = new DataVersion(counter, 1_700_000_000_000L + counter);
        for (TopicConfig t : topics) {
            b.topicConfigSerializeWrapper.topicConfigTable.put(t.topicName, t);
        }
        return b;
    }

    private static RemotingCommand registerRequest(String brokerAddr, long brokerId, String ha, byte[] body) {
        RemotingCommand r = RemotingCommand.request(RequestCode.REGISTER_BROKER)
                .put("brokerName", "broker-a").put("brokerAddr", brokerAddr).put("clusterName", CLUSTER)
                .put("haServerAddr", ha).put("brokerId", brokerId).put("compressed", false)
                .put("bodyCrc32", crc32(body));
        return r.body(body);
    }

    private static int crc32(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return (int) (crc.getValue() & 0x7FFFFFFF);
    }

    private RemotingCommand registerMaster(SerializeType type, RegisterBrokerBody body) throws Exception {
        RemotingCommand response = call(type, registerRequest(A_MASTER, 0, A_MASTER_HA, Json.encode(body)));
        assertThat(response.code()).as(response.remark()).isEqualTo(ResponseCode.SUCCESS);
        return response;
    }

    private RemotingCommand route(SerializeType type, String topic) throws Exception {
        return call(type, RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC).put("topic", topic));
    }

    private static RemotingCommand kv(int code, String namespace, String key) {
        return RemotingCommand.request(code).put("namespace", namespace).put("key", key);
    }

    @ParameterizedTest
    @EnumSource(SerializeType.class)
    void registeredBrokerIsRoutedListedAndInClusterInfo(SerializeType type) throws Exception {
        start();
        RemotingCommand reg = registerMaster(type, body(1, new TopicConfig("TopicA", 4, 4, 6)));
        assertThat(reg.get("masterAddr")).isNull();
        assertThat(reg.body()).isNull(); // no ORDER_TOPIC_CONFIG entries yet

        RemotingCommand route = route(type, "TopicA");
        assertThat(route.code()).isEqualTo(ResponseCode.SUCCESS);
        String json = new String(route.body(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"brokerAddrs\":{\"0\":\"" + A_MASTER + "\"}").contains("\"filterServerTable\":{}")
                .doesNotContain("orderTopicConf");
        TopicRouteData data = Json.decode(route.body(), TopicRouteData.class);
        assertThat(data.queueDatas).singleElement().satisfies(q -> {
            assertThat(q.brokerName).isEqualTo("broker-a");
            assertThat(q.writeQueueNums).isEqualTo(4);
            assertThat(q.perm).isEqualTo(6);
        });
        assertThat(data.brokerDatas).singleElement().satisfies(b -> assertThat(b.cluster).isEqualTo(CLUSTER));

        RemotingCommand cluster = call(type, RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO));
        ClusterInfo info = Json.decode(cluster.body(), ClusterInfo.class);
        assertThat(info.clusterAddrTable.get(CLUSTER)).containsExactly("broker-a");
        assertThat(info.brokerAddrTable.get("broker-a").brokerAddrs).containsExactly(Map.entry(0L, A_MASTER));

        assertThat(Json.decode(call(type, RemotingCommand.request(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER)).body(),
                TopicList.class).topicList).containsExactly("TopicA");
        assertThat(Json.decode(call(type, RemotingCommand.request(RequestCode.GET_TOPICS_BY_CLUSTER)
                .put("cluster", CLUSTER)).body(), TopicList.class).topicList).containsExactly("TopicA");
        TopicList system = Json.decode(call(type, RemotingCommand.request(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS)).body(),
                TopicList.class);
        assertThat(system.topicList).containsExactlyInAnyOrder(CLUSTER, "broker-a");
        assertThat(system.brokerAddr).isEqualTo(A_MASTER);
        for (int code : new int[] {RequestCode.GET_UNIT_TOPIC_LIST, RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST,
            RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST}) {
            RemotingCommand r = call(type, RemotingCommand.request(code));
            assertThat(r.code()).isEqualTo(ResponseCode.SUCCESS);
            assertThat(Json.decode(r.body(), TopicList.class).topicList).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(SerializeType.class)
    void unknownTopicAnswersTopicNotExist(SerializeType type) throws Exception {
        start();
        RemotingCommand r = route(type, "NoSuchTopic");
        assertThat(r.code()).isEqualTo(ResponseCode.TOPIC_NOT_EXIST);
        assertThat(r.remark()).startsWith("No topic route info in name server for the topic: NoSuchTopic");
        assertThat(r.body()).isNull();
    }

    @ParameterizedTest
    @EnumSource(SerializeType.class)
    void unknownRequestCodeAnswersNotSupported(SerializeType type) throws Exception {
        start();
        RemotingCommand r = call(type, RemotingCommand.request(9999));
        assertThat(r.code()).isEqualTo(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
        assertThat(r.remark()).isEqualTo(" request type 9999 not supported");
        // a broker-only code too
        assertThat(call(type, RemotingCommand.request(RequestCode.SEND_MESSAGE)).code())
                .isEqualTo(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
    }

    @ParameterizedTest
    @EnumSource(SerializeType.class)
    void kvConfigPutGetListDelete(SerializeType type) throws Exception {
        start();
        assertThat(call(type, kv(RequestCode.PUT_KV_CONFIG, "ns", "k").put("value", "v1")).code()).isZero();
        assertThat(call(type, kv(RequestCode.PUT_KV_CONFIG, "ns", "k2").put("value", "v2")).code()).isZero();

        RemotingCommand get = call(type, kv(RequestCode.GET_KV_CONFIG, "ns", "k"));
        assertThat(get.code()).isZero();
        assertThat(get.get("value")).isEqualTo("v1");

        RemotingCommand list = call(type, RemotingCommand.request(RequestCode.GET_KVLIST_BY_NAMESPACE).put("namespace", "ns"));
        assertThat(Json.decode(list.body(), KVTable.class).table).containsExactlyInAnyOrderEntriesOf(Map.of("k", "v1", "k2", "v2"));
        assertThat(Files.readString(dir.resolve("kvConfig.json"))).contains("\"configTable\"").contains("\"v2\"");

        assertThat(call(type, kv(RequestCode.DELETE_KV_CONFIG, "ns", "k")).code()).isZero();
        RemotingCommand missing = call(type, kv(RequestCode.GET_KV_CONFIG, "ns", "k"));
        assertThat(missing.code()).isEqualTo(ResponseCode.QUERY_NOT_FOUND);
        assertThat(missing.remark()).isEqualTo("No config item, Namespace: ns Key: k");

        RemotingCommand noNs = call(type, RemotingCommand.request(RequestCode.GET_KVLIST_BY_NAMESPACE).put("namespace", "none"));
        assertThat(noNs.code()).isEqualTo(ResponseCode.QUERY_NOT_FOUND);
        assertThat(noNs.remark()).isEqualTo("No config item, Namespace: none");
    }

    @ParameterizedTest
    @EnumSource(SerializeType.class)
    void slaveLearnsItsMasterAndBrokersGetOrderTopicConfig(SerializeType type) throws Exception {
        start();
        call(type, kv(RequestCode.PUT_KV_CONFIG, "ORDER_TOPIC_CONFIG", "TopicA").put("value", "broker-a:4"));
        RemotingCommand master = registerMaster(type, body(1, new TopicConfig("TopicA", 4, 4, 6)));
        assertThat(Json.decode(master.body(), KVTable.class).table).containsExactly(Map.entry("TopicA", "broker-a:4"));

        RemotingCommand slave = call(type, registerRequest(A_SLAVE, 1, "127.0.0.1:11912", Json.encode(body(1))));
        assertThat(slave.code()).isZero();
        assertThat(slave.get("masterAddr")).isEqualTo(A_MASTER);
        assertThat(slave.get("haServerAddr")).isEqualTo(A_MASTER_HA);
    }

    @ParameterizedTest
    @EnumSource(SerializeType.class)
    void namesrvConfigGetUpdateAndOrderTopicConf(SerializeType type) throws Exception {
        start();
        registerMaster(type, body(1, new TopicConfig("TopicA", 4, 4, 6)));
        call(type, kv(RequestCode.PUT_KV_CONFIG, "ORDER_TOPIC_CONFIG", "TopicA").put("value", "broker-a:4"));
        assertThat(Json.decode(route(type, "TopicA").body(), TopicRouteData.class).orderTopicConf).isNull();

        RemotingCommand update = call(type, RemotingCommand.request(RequestCode.UPDATE_NAMESRV_CONFIG)
                .body("orderMessageEnable=true\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(update.code()).as(update.remark()).isZero();
        assertThat(Json.decode(route(type, "TopicA").body(), TopicRouteData.class).orderTopicConf).isEqualTo("broker-a:4");

        Properties shown = new Properties();
        shown.load(new java.io.StringReader(new String(call(type, RemotingCommand.request(RequestCode.GET_NAMESRV_CONFIG)).body(),
                StandardCharsets.UTF_8)));
        assertThat(shown.getProperty("orderMessageEnable")).isEqualTo("true");
        assertThat(shown.getProperty("listenPort")).isEqualTo("0");
        Properties persisted = new Properties();
        persisted.load(new java.io.StringReader(Files.readString(dir.resolve("namesrv.properties"))));
        assertThat(persisted.getProperty("orderMessageEnable")).isEqualTo("true");

        RemotingCommand black = call(type, RemotingCommand.request(RequestCode.UPDATE_NAMESRV_CONFIG)
                .body("kvConfigPath=/tmp/evil\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(black.code()).isEqualTo(ResponseCode.NO_PERMISSION);
        assertThat(namesrv.configuration().namesrvConfig().getKvConfigPath()).isEqualTo(dir.resolve("kvConfig.json").toString());

        RemotingCommand bad = call(type, RemotingCommand.request(RequestCode.UPDATE_NAMESRV_CONFIG)
                .body("orderMessageEnable=false\nbrokerChannelExpiredTime=soon\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(bad.code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        assertThat(bad.remark()).contains("brokerChannelExpiredTime");
        assertThat(namesrv.configuration().namesrvConfig().isOrderMessageEnable()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(SerializeType.class)
    void registerChecksCrcAndAcceptsCompressedAndAbsentBodies(SerializeType type) throws Exception {
        start();
        byte[] json = Json.encode(body(1, new TopicConfig("TopicA", 4, 4, 6)));
        RemotingCommand wrongCrc = registerRequest(A_MASTER, 0, A_MASTER_HA, json).put("bodyCrc32", crc32(json) ^ 1);
        RemotingCommand r = call(type, wrongCrc);
        assertThat(r.code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        assertThat(r.remark()).isEqualTo("crc32 not match");
        assertThat(route(type, "TopicA").code()).isEqualTo(ResponseCode.TOPIC_NOT_EXIST);

        byte[] zipped = RegisterBrokerBodyCodec.encodeCompressed(body(2, new TopicConfig("TopicZ", 2, 2, 6)));
        RemotingCommand compressed = call(type, registerRequest(A_MASTER, 0, A_MASTER_HA, zipped).put("compressed", true));
        assertThat(compressed.code()).as(compressed.remark()).isZero();
        assertThat(Json.decode(route(type, "TopicZ").body(), TopicRouteData.class).queueDatas.get(0).writeQueueNums)
                .isEqualTo(2);

        RemotingCommand noBody = RemotingCommand.request(RequestCode.REGISTER_BROKER)
                .put("brokerName", "broker-b").put("brokerAddr", "127.0.0.1:12911").put("clusterName", CLUSTER)
                .put("haServerAddr", "127.0.0.1:12912").put("brokerId", 0);
        assertThat(call(type, noBody).code()).isZero();
        RemotingCommand version = call(type, RemotingCommand.request(RequestCode.QUERY_DATA_VERSION)
                .put("brokerName", "broker-b").put("brokerAddr", "127.0.0.1:12911").put("clusterName", CLUSTER)
                .put("brokerId", 0).body(Json.encode(new DataVersion(0, 0))));
        assertThat(version.get("changed")).isEqualTo("false");
    }

    @ParameterizedTest
    @EnumSource(SerializeType.class)
    void queryDataVersionComparesWithTheRegisteredVersion(SerializeType type) throws Exception {
        start();
        RemotingCommand unknown = call(type, queryDataVersion(new DataVersion(1, 1_700_000_000_001L)));
        assertThat(unknown.code()).isZero();
        assertThat(unknown.get("changed")).isEqualTo("true");
        assertThat(unknown.body()).isNull();

        registerMaster(type, body(1, new TopicConfig("TopicA", 4, 4, 6)));
        RemotingCommand same = call(type, queryDataVersion(new DataVersion(1, 1_700_000_000_001L)));
        assertThat(same.get("changed")).isEqualTo("false");
        assertThat(Json.decode(same.body(), DataVersion.class)).isEqualTo(new DataVersion(1, 1_700_000_000_001L));
        assertThat(call(type, queryDataVersion(new DataVersion(2, 5))).get("changed")).isEqualTo("true");
    }

    private static RemotingCommand queryDataVersion(DataVersion v) {
        return RemotingCommand.request(RequestCode.QUERY_DATA_VERSION).put("brokerName", "broker-a")
                .put("brokerAddr", A_MASTER).put("clusterName", CLUSTER).put("brokerId", 0).body(Json.encode(v));
    }

    @ParameterizedTest
    @EnumSource(SerializeType.class)
    void wipeAddPermDeleteTopicAndUnregister(SerializeType type) throws Exception {
        start();
        registerMaster(type, body(1, new TopicConfig("T1", 4, 4, 6), new TopicConfig("T2", 4, 4, 6)));

        RemotingCommand wipe = call(type, RemotingCommand.request(RequestCode.WIPE_WRITE_PERM_OF_BROKER).put("brokerName", "broker-a"));
        assertThat(wipe.get("wipeTopicCount")).isEqualTo("2");
        assertThat(Json.decode(route(type, "T1").body(), TopicRouteData.class).queueDatas.get(0).perm).isEqualTo(4);
        RemotingCommand add = call(type, RemotingCommand.request(RequestCode.ADD_WRITE_PERM_OF_BROKER).put("brokerName", "broker-a"));
        assertThat(add.get("addTopicCount")).isEqualTo("2");
        assertThat(Json.decode(route(type, "T1").body(), TopicRouteData.class).queueDatas.get(0).perm).isEqualTo(6);

        assertThat(call(type, RemotingCommand.request(RequestCode.DELETE_TOPIC_IN_NAMESRV).put("topic", "T1")
                .put("clusterName", "OtherCluster")).code()).isZero();
        assertThat(route(type, "T1").code()).isZero();
        assertThat(call(type, RemotingCommand.request(RequestCode.DELETE_TOPIC_IN_NAMESRV).put("topic", "T1")
                .put("clusterName", CLUSTER)).code()).isZero();
        assertThat(route(type, "T1").code()).isEqualTo(ResponseCode.TOPIC_NOT_EXIST);
        assertThat(call(type, RemotingCommand.request(RequestCode.DELETE_TOPIC_IN_NAMESRV).put("topic", "T2")).code()).isZero();
        assertThat(route(type, "T2").code()).isEqualTo(ResponseCode.TOPIC_NOT_EXIST);

        registerMaster(type, body(2, new TopicConfig("T3", 1, 1, 6)));
        assertThat(call(type, RemotingCommand.request(RequestCode.UNREGISTER_BROKER).put("brokerName", "broker-a")
                .put("brokerAddr", A_MASTER).put("clusterName", CLUSTER).put("brokerId", 0)).code()).isZero();
        assertThat(route(type, "T3").code()).isEqualTo(ResponseCode.TOPIC_NOT_EXIST);
        assertThat(Json.decode(call(type, RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO)).body(),
                ClusterInfo.class).brokerAddrTable).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(SerializeType.class)
    void missingMandatoryFieldIsASystemErrorNamingIt(SerializeType type) throws Exception {
        start();
        RemotingCommand r = call(type, RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC));
        assertThat(r.code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        assertThat(r.remark()).contains("topic");
        RemotingCommand badId = call(type, registerRequest(A_MASTER, 0, A_MASTER_HA, Json.encode(body(1)))
                .put("brokerId", "zero"));
        assertThat(badId.code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        assertThat(badId.remark()).contains("brokerId");
    }

    @Test
    void brokerConnectionCloseRemovesTheBroker() throws Exception {
        start();
        NettyRemotingClient broker = newClient("broker");
        RemotingCommand reg = call(broker, SerializeType.JSON, registerRequest(A_MASTER, 0, A_MASTER_HA,
                Json.encode(body(1, new TopicConfig("TopicA", 4, 4, 6)))));
        assertThat(reg.code()).isZero();
        assertThat(route(SerializeType.JSON, "TopicA").code()).isZero();

        broker.closeChannel(addr);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(route(SerializeType.JSON, "TopicA").code()).isEqualTo(ResponseCode.TOPIC_NOT_EXIST));
        // the tool connection that only asked for routes stays registered as nothing and keeps working
        assertThat(call(SerializeType.JSON, RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO)).code()).isZero();
    }

    @Test
    void silentBrokerExpiresAndItsConnectionIsClosed() throws Exception {
        start(c -> {
            c.setScanNotActiveBrokerInterval(100);
            c.setBrokerChannelExpiredTime(500);
        });
        NettyRemotingClient broker = newClient("broker");
        assertThat(call(broker, SerializeType.ROCKETMQ, registerRequest(A_MASTER, 0, A_MASTER_HA,
                Json.encode(body(1, new TopicConfig("TopicA", 4, 4, 6))))).code()).isZero();
        Channel brokerChannel = broker.channel(addr);
        assertThat(route(SerializeType.JSON, "TopicA").code()).isZero();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(route(SerializeType.JSON, "TopicA").code()).isEqualTo(ResponseCode.TOPIC_NOT_EXIST));
        await().atMost(Duration.ofSeconds(10)).until(() -> !brokerChannel.isActive());
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of("raw garbage (an HTTP request)", "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("negative frame length", ByteBuffer.allocate(12).putInt(-16).putInt(0).putInt(0).array()),
                Arguments.of("oversized frame length", ByteBuffer.allocate(12).putInt(16 * 1024 * 1024 - 3).putInt(0).putInt(0).array()),
                Arguments.of("unparsable JSON header", frame(0, "{this is not json".getBytes(StandardCharsets.UTF_8))),
                Arguments.of("JSON header that is not an object", frame(0, "[1,2,3]".getBytes(StandardCharsets.UTF_8))),
                Arguments.of("unknown serialize type", frame(7, "{}".getBytes(StandardCharsets.UTF_8))),
                Arguments.of("header longer than the frame", ByteBuffer.allocate(12).putInt(8).putInt(200).putInt(0).array()),
                Arguments.of("truncated binary header", frame(1, new byte[] {0, 105, 0})));
    }

    private static byte[] frame(int serializeType, byte[] header) {
        return ByteBuffer.allocate(8 + header.length).putInt(4 + header.length)
                .putInt((serializeType << 24) | header.length).put(header).array();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInputClosesThatConnectionWhileOthersAreServed(String what, byte[] bytes) throws Exception {
        start();
        assertThat(call(SerializeType.JSON, RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO)).code()).isZero();
        Channel good = client.channel(addr);

        try (Socket bad = new Socket("127.0.0.1", namesrv.listenPort())) {
            bad.setSoTimeout(10_000);
            bad.getOutputStream().write(bytes);
            bad.getOutputStream().flush();
            assertThat(closedByPeer(bad)).as("server closed the connection after " + what).isTrue();
        }

        assertThat(client.channel(addr)).as("the good connection was kept").isSameAs(good);
        assertThat(call(SerializeType.ROCKETMQ, RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO)).code()).isZero();
        assertThat(call(SerializeType.JSON, RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO)).code()).isZero();
    }

    /** True when the peer closes (EOF or reset) before the read timeout. */
    private static boolean closedByPeer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[1024];
        try {
            while (true) {
                if (in.read(buf) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // connection reset
        }
    }
}
