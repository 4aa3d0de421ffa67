package io.rocketcluster.operator.wire;

import io.rocketcluster.operator.reconcile.WireBrokerAdmin;
import io.rocketcluster.remoting.data.ConsumerData;
import io.rocketcluster.remoting.data.HeartbeatData;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.Perm;
import io.rocketcluster.remoting.data.SubscriptionData;
import io.rocketcluster.remoting.data.TopicRouteData;
import io.rocketcluster.remoting.netty.NettyRemotingClient;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link WireBrokerAdmin} against the real thing: a nameserver and a broker, each in its own JVM from
 * the packaged jars ({@link ServerJvm}), driven over sockets with our remoting client the way RocketMQ
 * clients drive them. Proves what scale-in relies on: the backlog it reads is the broker's consumer lag,
 * and "read-only" reaches the broker's config and the nameserver's routes.
 *
 * <p>One nameserver and one broker for the class; the read-only test runs after the backlog test,
 * since it changes the broker for good.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WireBrokerAdminTest {
    private static final long RPC_TIMEOUT = 5000;
    private static final String BROKER_NAME = "wire-broker";
    private static final Duration AWAIT = Duration.ofSeconds(20);

    private static ServerJvm namesrv;
    private static ServerJvm broker;
    private static NettyRemotingClient client;
    private static WireBrokerAdmin admin;

    /** On a failure, the servers' last lines go to the test's output before the work dirs are deleted. */
    @RegisterExtension
    static final TestWatcher DUMP_LOGS_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (ServerJvm s : new ServerJvm[] {namesrv, broker}) {
                if (s != null) {
                    System.out.println("---- " + s.addr() + " (pid " + s.pid() + ") ----\n" + s.tail(80));
                }
            }
        }
    };

    @BeforeAll
    static void startServers() throws Exception {
        try {
            namesrv = ServerJvm.namesrv("namesrv");
            broker = ServerJvm.broker(BROKER_NAME, namesrv.addr(), Map.of());
        } catch (RuntimeException | IOException e) {
            stopServers();
            throw e;
        }
        // ROCKETCLUSTER_HOME_DIR was honoured: the store is in the temp dir, not under anyone's home
        assertThat(broker.home().resolve("store")).isDirectory();
        client = new NettyRemotingClient("wire-test");
        admin = new WireBrokerAdmin();
    }

    @AfterAll
    static void stopServers() {
        // every step runs even when one before it throws
        try {
            if (admin != null) {
                admin.close();
            }
        } finally {
            try {
                if (client != null) {
                    client.close();
                }
            } finally {
                try {
                    if (broker != null) {
                        broker.close();
                    }
                } finally {
                    if (namesrv != null) {
                        namesrv.close();
                    }
                }
            }
        }
    }

    @Test
    @Order(1)
    void unconsumedMessagesIsWhatSubscribedGroupsHaveNotCommitted() throws Exception {
        String topic = "WireBacklogTopic";
        String group = "wire_backlog_group";
        String other = "wire_backlog_group_2";
        createTopic(topic, false);
        assertThat(admin.unconsumedMessages(broker.addr())).as("a fresh broker has no backlog").isZero();

        for (int i = 0; i < 10; i++) {
            RemotingCommand r = send(topic, 0, "message " + i);
            assertThat(r.code()).as("send %d: %s", i, r.remark()).isEqualTo(ResponseCode.SUCCESS);
            assertThat(r.get("queueOffset")).isEqualTo(String.valueOf(i));
        }
        heartbeat(group, topic);
        heartbeat(other, topic);
        await("10 messages in the consume queue").atMost(AWAIT).until(() -> maxOffset(topic, 0) == 10);

        // Like RocketMQ's fetchAllConsumeStatsInBroker, the broker counts a group in the topics it has
        // committed offsets in: subscribed but never committed is not (yet) backlog.
        assertThat(admin.unconsumedMessages(broker.addr()))
                .as("groups without committed offsets are not counted").isZero();

        commitOffset(group, topic, 0, 4);
        await("backlog 6").atMost(AWAIT).untilAsserted(() ->
                assertThat(admin.unconsumedMessages(broker.addr())).isEqualTo(6));

        commitOffset(other, topic, 0, 7);
        await("backlog 6 + 3").atMost(AWAIT).untilAsserted(() ->
                assertThat(admin.unconsumedMessages(broker.addr())).as("summed over groups").isEqualTo(9));

        commitOffset(group, topic, 0, 10);
        commitOffset(other, topic, 0, 10);
        await("backlog 0").atMost(AWAIT).untilAsserted(() ->
                assertThat(admin.unconsumedMessages(broker.addr())).isZero());

        // one more message is backlog again for both groups
        assertThat(send(topic, 0, "late").code()).isEqualTo(ResponseCode.SUCCESS);
        await("backlog 2").atMost(AWAIT).untilAsserted(() ->
                assertThat(admin.unconsumedMessages(broker.addr())).isEqualTo(2));
        commitOffset(group, topic, 0, 11);
        commitOffset(other, topic, 0, 11);
        await("drained").atMost(AWAIT).untilAsserted(() ->
                assertThat(admin.unconsumedMessages(broker.addr())).isZero());
    }

    @Test
    @Order(2)
    void makeReadOnlyReachesTheBrokerConfigAndTheNameserverRoutes() throws Exception {
        String topic = "WireReadOnlyTopic";
        String orderTopic = "WireReadOnlyOrderTopic";
        createTopic(topic, false);
        createTopic(orderTopic, true);
        assertThat(brokerConfig().getProperty("brokerPermission")).isEqualTo("6");
        await("route of " + topic + " with perm 6").atMost(AWAIT).untilAsserted(() ->
                assertThat(routePerms(topic)).containsExactly(Perm.READ | Perm.WRITE));
        assertThat(send(topic, 0, "before").code()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(send(orderTopic, 0, "before").code()).isEqualTo(ResponseCode.SUCCESS);
        long backlogBefore = admin.unconsumedMessages(broker.addr());

        admin.makeReadOnly(broker.addr());

        Properties config = brokerConfig();
        assertThat(config.getProperty("brokerPermission")).as("GET_BROKER_CONFIG").isEqualTo("4");
        for (String t : List.of(topic, orderTopic)) {
            await("route of " + t + " with perm 4").atMost(AWAIT).untilAsserted(() ->
                    assertThat(routePerms(t)).as("nameserver route of " + t).containsExactly(Perm.READ));
        }

        // What the broker itself refuses is RocketMQ 4.x's rule (AbstractSendMessageProcessor.msgCheck):
        // a broker without the write bit refuses sends to ORDER topics only, with NO_PERMISSION.
        RemotingCommand refused = send(orderTopic, 0, "after");
        assertThat(refused.code()).as("send to an order topic: %s", refused.remark()).isEqualTo(ResponseCode.NO_PERMISSION);
        assertThat(refused.remark()).contains("sending message is forbidden");
        // A normal topic is still accepted from a producer that sends anyway (say with a route cached
        // from before); producers stop writing here because the route no longer offers the broker.
        RemotingCommand stillAccepted = send(topic, 0, "after");
        assertThat(stillAccepted.code()).as("send to a normal topic: %s", stillAccepted.remark())
                .isEqualTo(ResponseCode.SUCCESS);

        // the reconciler calls it on every round while the group drains: idempotent
        admin.makeReadOnly(broker.addr());
        assertThat(brokerConfig().getProperty("brokerPermission")).isEqualTo("4");
        // a read-only broker still answers the backlog question (no group consumes these two topics)
        assertThat(admin.unconsumedMessages(broker.addr())).isEqualTo(backlogBefore);

        // a cancelled scale-in: writable again, and the nameserver routes offer it for writes
        admin.makeWritable(broker.addr());
        assertThat(brokerConfig().getProperty("brokerPermission")).isEqualTo("6");
        await("route of " + topic + " with perm 6 again").atMost(AWAIT).untilAsserted(() ->
                assertThat(routePerms(topic)).containsExactly(Perm.READ | Perm.WRITE));
        assertThat(send(orderTopic, 0, "writable again").code()).isEqualTo(ResponseCode.SUCCESS);
    }

    @Test
    @Order(3)
    void anUnreachableBrokerFailsPromptlyNamingTheAddress() throws Exception {
        String addr = "127.0.0.1:" + ServerJvm.closedPort();
        long start = System.nanoTime();
        assertThatThrownBy(() -> admin.unconsumedMessages(addr)).hasMessageContaining(addr);
        assertThatThrownBy(() -> admin.makeReadOnly(addr)).hasMessageContaining(addr);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("connection refused is immediate")
                .isLessThan(Duration.ofSeconds(3));

        // the failures did not spoil the admin for brokers that are there
        assertThat(admin.unconsumedMessages(broker.addr())).isNotNegative();
    }

    @Test
    @Order(4)
    void aPeerThatNeverAnswersFailsWithinTheTimeoutNamingTheAddress() throws Exception {
        // accepts TCP connections (the backlog queue does it) and never reads or answers
        try (ServerSocket silent = new ServerSocket()) {
            silent.bind(new InetSocketAddress("127.0.0.1", 0));
            String addr = "127.0.0.1:" + silent.getLocalPort();
            long start = System.nanoTime();
            assertThatThrownBy(() -> admin.unconsumedMessages(addr)).hasMessageContaining(addr);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("bounded by the 5 s request timeout").isLessThan(Duration.ofSeconds(8));
        }
    }

    // ---- the wire, as RocketMQ clients speak it ----

    private static RemotingCommand call(String addr, RemotingCommand request) throws Exception {
        return client.invokeSync(addr, request, RPC_TIMEOUT);
    }

    private static void ok(RemotingCommand response, String what) {
        assertThat(response.code()).as(what + ": " + response.remark()).isEqualTo(ResponseCode.SUCCESS);
    }

    /** UPDATE_AND_CREATE_TOPIC (17): 4 read and write queues, perm 6; the broker registers it before answering. */
    private static void createTopic(String topic, boolean order) throws Exception {
        RemotingCommand r = call(broker.addr(), RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_TOPIC)
                .put("topic", topic).put("defaultTopic", "TBW102").put("readQueueNums", 4).put("writeQueueNums", 4)
                .put("perm", Perm.READ | Perm.WRITE).put("topicFilterType", "SINGLE_TAG").put("topicSysFlag", 0)
                .put("order", order));
        ok(r, "create " + topic);
    }

    /** SEND_MESSAGE (10) with the Java header field names, one message to {@code queueId}. */
    private static RemotingCommand send(String topic, int queueId, String body) throws Exception {
        String properties = "TAGS\u0001wire\u0002WAIT\u0001true";
        return call(broker.addr(), RemotingCommand.request(RequestCode.SEND_MESSAGE)
                .put("producerGroup", "wire_test_producer").put("topic", topic).put("defaultTopic", "TBW102")
                .put("defaultTopicQueueNums", 4).put("queueId", queueId).put("sysFlag", 0)
                .put("bornTimestamp", System.currentTimeMillis()).put("flag", 0).put("properties", properties)
                .put("reconsumeTimes", 0).put("unitMode", false).put("batch", false)
                .body(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** HEART_BEAT (34): a clustering push consumer of {@code group} subscribing all of {@code topic}. */
    private static void heartbeat(String group, String topic) throws Exception {
        ConsumerData c = new ConsumerData();
        c.groupName = group;
        c.consumeType = "CONSUME_PASSIVELY";
        c.messageModel = "CLUSTERING";
        c.consumeFromWhere = "CONSUME_FROM_FIRST_OFFSET";
        c.subscriptionDataSet.add(SubscriptionData.ofTags(topic, "*"));
        HeartbeatData hb = new HeartbeatData();
        hb.clientID = "127.0.0.1@wire-test-" + group;
        hb.consumerDataSet.add(c);
        ok(call(broker.addr(), RemotingCommand.request(RequestCode.HEART_BEAT).body(Json.encode(hb))), "heartbeat " + group);
    }

    /** UPDATE_CONSUMER_OFFSET (15). */
    private static void commitOffset(String group, String topic, int queueId, long offset) throws Exception {
        ok(call(broker.addr(), RemotingCommand.request(RequestCode.UPDATE_CONSUMER_OFFSET)
                .put("consumerGroup", group).put("topic", topic).put("queueId", queueId)
                .put("commitOffset", offset)), "commit " + group + " " + topic + ":" + queueId + "@" + offset);
    }

    /** GET_MAX_OFFSET (30): the next offset of the queue, i.e. how many messages it holds. */
    private static long maxOffset(String topic, int queueId) throws Exception {
        RemotingCommand r = call(broker.addr(), RemotingCommand.request(RequestCode.GET_MAX_OFFSET)
                .put("topic", topic).put("queueId", queueId));
        ok(r, "GET_MAX_OFFSET " + topic + ":" + queueId);
        return Long.parseLong(r.get("offset"));
    }

    /** GET_BROKER_CONFIG (26): the broker's settings, properties text. */
    private static Properties brokerConfig() throws Exception {
        RemotingCommand r = call(broker.addr(), RemotingCommand.request(RequestCode.GET_BROKER_CONFIG));
        ok(r, "GET_BROKER_CONFIG");
        Properties p = new Properties();
        p.load(new StringReader(new String(r.body(), StandardCharsets.UTF_8)));
        return p;
    }

    /** GET_ROUTEINFO_BY_TOPIC (105) from the nameserver: the perm of each of our broker's queue entries. */
    private static List<Integer> routePerms(String topic) throws Exception {
        RemotingCommand r = call(namesrv.addr(), RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC).put("topic", topic));
        ok(r, "route of " + topic);
        TopicRouteData route = Json.decode(r.body(), TopicRouteData.class);
        return route.queueDatas.stream().filter(q -> BROKER_NAME.equals(q.brokerName)).map(q -> q.perm).toList();
    }
}
