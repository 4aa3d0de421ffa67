package io.rocketcluster.broker.processor;

import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.store.MessageProperties;
import io.rocketcluster.broker.store.MessageRecord;
import io.rocketcluster.broker.topic.TopicValidator;
import io.rocketcluster.remoting.data.ConsumerData;
import io.rocketcluster.remoting.data.HeartbeatData;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.LockBatchBody;
import io.rocketcluster.remoting.data.MessageQueue;
import io.rocketcluster.remoting.data.ProducerData;
import io.rocketcluster.remoting.data.SubscriptionData;
import io.rocketcluster.remoting.data.SubscriptionGroupConfig;
import io.rocketcluster.remoting.netty.NettyRemotingClient;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumer and producer group names from the wire are checked before they reach the broker's state or
 * the store: a heartbeat, send-back, pull, offset, lock or admin request with an illegal group is
 * refused with SYSTEM_ERROR and a remark naming the rule, and registers, creates and writes nothing.
 * A group whose retry topic {@code %RETRY%<group>} would be longer than 127 bytes (legal for the
 * client up to 255 characters) cannot register as a consumer, and path-like groups never become
 * directories outside the consume-queue root.
 */
class HostileGroupNamesProcessorTest {
    /** Legal for the official client (at most 255 characters) but %RETRY% + it is 262 > 127. */
    static final String LONG_GROUP = "G".repeat(255);
    static final String GROUP_RULE = "^[%|a-zA-Z0-9_-]+$";

    @TempDir
    static Path dir;
    static BrokerController broker;
    static NettyRemotingClient client;
    static String addr;

    @BeforeAll
    static void start() throws Exception {
        int port = io.rocketcluster.broker.TestPorts.freeBrokerPort();
        broker = io.rocketcluster.broker.TestBrokers.start(dir, port, "hostile-groups", Map.of());
        addr = "127.0.0.1:" + port;
        client = new NettyRemotingClient("hostile-groups");
    }

    @AfterAll
    static void stop() {
        client.close();
        broker.shutdown();
    }

    private static RemotingCommand call(RemotingCommand request) throws Exception {
        return client.invokeSync(addr, request, 5000);
    }

    private static HeartbeatData heartbeat(String consumerGroup, String producerGroup) {
        HeartbeatData hb = new HeartbeatData();
        hb.clientID = "127.0.0.1@hostile";
        if (consumerGroup != null) {
            ConsumerData c = new ConsumerData();
            c.groupName = consumerGroup;
            c.consumeType = "CONSUME_PASSIVELY";
            c.messageModel = "CLUSTERING";
            c.consumeFromWhere = "CONSUME_FROM_LAST_OFFSET";
            SubscriptionData s = new SubscriptionData();
            s.topic = "HostileT";
            s.subString = "*";
            c.subscriptionDataSet.add(s);
            hb.consumerDataSet.add(c);
        }
        if (producerGroup != null) {
            ProducerData p = new ProducerData();
            p.groupName = producerGroup;
            hb.producerDataSet.add(p);
        }
        return hb;
    }

    private static RemotingCommand sendHeartbeat(HeartbeatData hb) throws Exception {
        return call(RemotingCommand.request(RequestCode.HEART_BEAT).body(Json.encode(hb)));
    }

    /** Stores one message and returns its commitlog offset. */
    private static long storedMessage() throws Exception {
        RemotingCommand r = call(RemotingCommand.request(RequestCode.SEND_MESSAGE_V2)
                .put("a", "pg").put("b", "HostileT").put("c", "TBW102").put("d", 4).put("e", 0).put("f", 0)
                .put("g", System.currentTimeMillis()).put("h", 0).put("i", "TAGS\u0001a")
                .body("x".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.code()).isEqualTo(ResponseCode.SUCCESS);
        return MessageRecord.offsetOfMsgId(r.get("msgId"));
    }

    private static RemotingCommand sendBack(String group, long offset, int delayLevel) throws Exception {
        return call(RemotingCommand.request(RequestCode.CONSUMER_SEND_MSG_BACK).put("offset", offset)
                .put("group", group).put("delayLevel", delayLevel).put("originMsgId", "x").put("originTopic", "HostileT")
                .put("unitMode", false).put("maxReconsumeTimes", 16));
    }

    private static void assertNothingKnownAbout(String group) {
        assertThat(broker.consumers().group(group)).as("consumer registration").isNull();
        assertThat(broker.producers().group(group)).as("producer registration").isEmpty();
        assertThat(broker.groups().snapshot().subscriptionGroupTable).as("subscription groups").doesNotContainKey(group);
        assertThat(broker.topics().get(TopicValidator.retryTopic(group))).as("retry topic").isNull();
        assertThat(broker.topics().get(TopicValidator.DLQ_PREFIX + group)).as("DLQ topic").isNull();
        assertThat(broker.offsets().snapshot().offsetTable.keySet()).as("offsets")
                .noneMatch(k -> k.endsWith("@" + group));
    }

    /** Every consume-queue file is {@code consumequeue/<legal topic>/<queueId>/<file>}; nothing else is in the store root. */
    private static void assertStoreTreeIsClean() throws IOException {
        Path store = dir.resolve("store");
        Path cq = store.resolve("consumequeue");
        try (Stream<Path> top = Files.list(store)) {
            assertThat(top.map(p -> p.getFileName().toString()).toList())
                    .as("entries of the store root").allMatch(n -> List.of("commitlog", "consumequeue", "config", "index",
                            "checkpoint", "lock", "abort", "epochs", "epochs.bak", "ha-fence").contains(n));
        }
        assertThat(dir.resolve("x")).doesNotExist();
        assertThat(store.resolve("x")).doesNotExist();
        if (Files.isDirectory(cq)) {
            try (Stream<Path> walk = Files.walk(cq)) {
                for (Path p : walk.toList()) {
                    Path rel = cq.relativize(p);
                    if (rel.toString().isEmpty()) {
                        continue;
                    }
                    assertThat(TopicValidator.check(rel.getName(0).toString())).as("topic directory " + rel).isNull();
                    if (rel.getNameCount() >= 2) {
                        assertThat(rel.getName(1).toString()).as("queue directory " + rel).matches("\\d+");
                    }
                    assertThat(rel.getNameCount()).as(rel.toString()).isLessThanOrEqualTo(3);
                }
            }
        }
    }

    @Test
    void aHeartbeatWithA255CharacterConsumerGroupIsRefusedAndRegistersNothing() throws Exception {
        String producerGroup = "pg_in_a_refused_heartbeat";
        RemotingCommand r = sendHeartbeat(heartbeat(LONG_GROUP, producerGroup));
        assertThat(r.code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        assertThat(r.remark()).contains(GROUP_RULE).contains("127").contains("%RETRY%");
        assertNothingKnownAbout(LONG_GROUP);
        assertThat(broker.producers().group(producerGroup)).as("the refused heartbeat registers nothing").isEmpty();

        // a 120-character group is the longest whose retry topic fits
        String longest = "g".repeat(120);
        assertThat(sendHeartbeat(heartbeat(longest, null)).code()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(broker.consumers().group(longest)).isNotNull();
        assertThat(broker.topics().get(TopicValidator.retryTopic(longest))).isNotNull();
        assertThat(sendHeartbeat(heartbeat("g".repeat(121), null)).code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../../x", "a/b", "..", "a\\b", "x y", "a.b", " ", ""})
    void aHeartbeatWithAnIllegalConsumerOrProducerGroupIsRefusedAndRegistersNothing(String group) throws Exception {
        RemotingCommand consumer = sendHeartbeat(heartbeat(group, null));
        assertThat(consumer.code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        assertThat(consumer.remark()).containsAnyOf(GROUP_RULE, "blank");
        RemotingCommand producer = sendHeartbeat(heartbeat(null, group));
        assertThat(producer.code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        assertThat(producer.remark()).containsAnyOf(GROUP_RULE, "blank");
        assertThat(sendHeartbeat(heartbeat(null, "p".repeat(256))).code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        assertNothingKnownAbout(group);
        assertStoreTreeIsClean();
    }

    @Test
    void aSendBackWithAHostileGroupIsRefusedStoresNothingAndWritesNothingOutsideTheConsumeQueueRoot() throws Exception {
        long offset = storedMessage();
        for (String group : List.of("../../../x", "../../x", "a/b", "..", LONG_GROUP)) {
            for (int delayLevel : new int[] {-1, 0}) { // -1: straight to %DLQ%<group>; 0: %RETRY%<group>
                long before = broker.store().commitLogMaxOffset();
                RemotingCommand r = sendBack(group, offset, delayLevel);
                assertThat(r.code()).as(group + " level " + delayLevel).isEqualTo(ResponseCode.SYSTEM_ERROR);
                assertThat(r.remark()).as(group).contains(GROUP_RULE);
                assertThat(broker.store().commitLogMaxOffset()).as("nothing stored for " + group).isEqualTo(before);
                assertNothingKnownAbout(group);
            }
        }
        // the broker still dispatches: a message sent now is consumable
        long next = storedMessage();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> broker.store().dispatchBehindBytes() == 0);
        assertThat(next).isGreaterThan(offset);
        assertStoreTreeIsClean();
    }

    @Test
    void aSendToTheRetryTopicOfABlankGroupIsRefusedAndCreatesNoGroup() throws Exception {
        RemotingCommand r = call(send("%RETRY%", "TAGS\u0001a"));
        assertThat(r.code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        assertThat(r.remark()).contains("blank");
        assertThat(broker.groups().snapshot().subscriptionGroupTable).doesNotContainKey("");
        assertThat(broker.topics().get("%RETRY%")).isNull();
    }

    @Test
    void aDelayedSendWhoseRoutingPropertiesWouldNotFitIsRefusedWithMessageIllegal() throws Exception {
        // fits 32,767 bytes as sent (the processor's own check passes), but not once the store adds
        // REAL_TOPIC and REAL_QID to route it through the delay queue
        String cluster = broker.brokerConfig().getBrokerClusterName();
        int fixed = MessageProperties.format(new java.util.LinkedHashMap<>(Map.of(MessageProperties.DELAY, "1", "K", "",
                MessageProperties.CLUSTER, cluster))).getBytes(StandardCharsets.UTF_8).length;
        String properties = MessageProperties.DELAY + MessageProperties.NAME_VALUE_SEPARATOR + "1"
                + MessageProperties.PROPERTY_SEPARATOR + "K" + MessageProperties.NAME_VALUE_SEPARATOR + "v".repeat(32760 - fixed);
        long before = broker.store().commitLogMaxOffset();
        RemotingCommand r = call(send("HostileT", properties));
        assertThat(r.code()).isEqualTo(ResponseCode.MESSAGE_ILLEGAL);
        assertThat(r.remark()).contains("PROPERTIES_SIZE_EXCEEDED").contains("32767");
        assertThat(broker.store().commitLogMaxOffset()).isEqualTo(before);
    }

    private static RemotingCommand send(String topic, String properties) {
        return RemotingCommand.request(RequestCode.SEND_MESSAGE_V2)
                .put("a", "pg").put("b", topic).put("c", "TBW102").put("d", 4).put("e", 0).put("f", 0)
                .put("g", System.currentTimeMillis()).put("h", 0).put("i", properties)
                .body("x".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void otherRequestsWithAnIllegalGroupAreRefusedAndLeaveNoTrace() throws Exception {
        String bad = "a/b";
        List<Function<String, RemotingCommand>> requests = new ArrayList<>();
        requests.add(g -> RemotingCommand.request(RequestCode.PULL_MESSAGE).put("consumerGroup", g).put("topic", "HostileT")
                .put("queueId", 0).put("queueOffset", 0).put("maxMsgNums", 1).put("sysFlag", 1).put("commitOffset", 5)
                .put("suspendTimeoutMillis", 0).put("subVersion", 0));
        requests.add(g -> RemotingCommand.request(RequestCode.UPDATE_CONSUMER_OFFSET).put("consumerGroup", g)
                .put("topic", "HostileT").put("queueId", 0).put("commitOffset", 7));
        requests.add(g -> RemotingCommand.request(RequestCode.QUERY_CONSUMER_OFFSET).put("consumerGroup", g)
                .put("topic", "HostileT").put("queueId", 0));
        requests.add(g -> RemotingCommand.request(RequestCode.GET_CONSUMER_LIST_BY_GROUP).put("consumerGroup", g));
        requests.add(g -> lock(RequestCode.LOCK_BATCH_MQ, g));
        requests.add(g -> lock(RequestCode.UNLOCK_BATCH_MQ, g));
        requests.add(g -> RemotingCommand.request(RequestCode.UNREGISTER_CLIENT).put("clientID", "c").put("consumerGroup", g));
        requests.add(g -> RemotingCommand.request(RequestCode.UNREGISTER_CLIENT).put("clientID", "c").put("producerGroup", g));
        requests.add(g -> RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP)
                .body(Json.encode(new SubscriptionGroupConfig(g))));
        requests.add(g -> RemotingCommand.request(RequestCode.DELETE_SUBSCRIPTIONGROUP).put("groupName", g));
        requests.add(g -> RemotingCommand.request(RequestCode.GET_CONSUME_STATS).put("consumerGroup", g));
        requests.add(g -> RemotingCommand.request(RequestCode.GET_CONSUMER_CONNECTION_LIST).put("consumerGroup", g));
        requests.add(g -> RemotingCommand.request(RequestCode.GET_PRODUCER_CONNECTION_LIST).put("producerGroup", g));
        requests.add(g -> RemotingCommand.request(RequestCode.QUERY_CONSUME_TIME_SPAN).put("topic", "HostileT").put("group", g));
        requests.add(g -> RemotingCommand.request(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET).put("topic", "HostileT")
                .put("group", g).put("timestamp", 0).put("isForce", true));
        requests.add(g -> RemotingCommand.request(RequestCode.CLONE_GROUP_OFFSET).put("srcGroup", "legal_src")
                .put("destGroup", g).put("topic", "HostileT").put("offline", true));
        requests.add(g -> RemotingCommand.request(RequestCode.CLONE_GROUP_OFFSET).put("srcGroup", g)
                .put("destGroup", "legal_dest").put("topic", "HostileT").put("offline", true));
        requests.add(g -> RemotingCommand.request(RequestCode.QUERY_CORRECTION_OFFSET).put("topic", "HostileT")
                .put("compareGroup", g));
        requests.add(g -> RemotingCommand.request(RequestCode.GET_CONSUMER_RUNNING_INFO).put("consumerGroup", g)
                .put("clientId", "c").put("jstackEnable", false));
        requests.add(g -> RemotingCommand.request(RequestCode.CONSUME_MESSAGE_DIRECTLY).put("consumerGroup", g)
                .put("clientId", "c").put("msgId", "00"));
        requests.add(g -> RemotingCommand.request(RequestCode.END_TRANSACTION).put("producerGroup", g)
                .put("tranStateTableOffset", 0).put("commitLogOffset", 0).put("commitOrRollback", 8)
                .put("fromTransactionCheck", false).put("msgId", "00"));
        requests.add(g -> RemotingCommand.request(RequestCode.CHECK_CLIENT_CONFIG)
                .body(("{\"clientId\":\"c\",\"group\":\"" + g + "\"}").getBytes(StandardCharsets.UTF_8)));

        storedMessage(); // HostileT exists
        call(RemotingCommand.request(RequestCode.UPDATE_CONSUMER_OFFSET).put("consumerGroup", "legal_src")
                .put("topic", "HostileT").put("queueId", 0).put("commitOffset", 1));
        for (int i = 0; i < requests.size(); i++) {
            RemotingCommand request = requests.get(i).apply(bad);
            RemotingCommand r = call(request);
            assertThat(r.code()).as("request code " + request.code() + " (#" + i + ")").isEqualTo(ResponseCode.SYSTEM_ERROR);
            assertThat(r.remark()).as("request code " + request.code() + " (#" + i + ")").contains(GROUP_RULE);
        }
        assertNothingKnownAbout(bad);
        assertThat(broker.offsets().snapshot().offsetTable).doesNotContainKey("HostileT@legal_dest");
        assertStoreTreeIsClean();
    }

    private static RemotingCommand lock(int code, String group) {
        LockBatchBody body = new LockBatchBody();
        body.consumerGroup = group;
        body.clientId = "c";
        body.mqSet.add(new MessageQueue("HostileT", "hostile-groups", 0));
        return RemotingCommand.request(code).body(Json.encode(body));
    }
}
