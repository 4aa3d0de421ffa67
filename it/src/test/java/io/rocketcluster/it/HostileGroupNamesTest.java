package io.rocketcluster.it;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.impl.MQClientAPIImpl;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.protocol.heartbeat.ConsumeType;
import org.apache.rocketmq.common.protocol.heartbeat.ConsumerData;
import org.apache.rocketmq.common.protocol.heartbeat.HeartbeatData;
import org.apache.rocketmq.common.protocol.heartbeat.MessageModel;
import org.apache.rocketmq.common.protocol.heartbeat.ProducerData;
import org.apache.rocketmq.common.protocol.heartbeat.SubscriptionData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Group names the official client would never send, sent with its own API over real sockets: a
 * heartbeat whose consumer group is too long for its retry topic, and send-backs whose group contains
 * '/' or "..", are refused with SYSTEM_ERROR (1) and change nothing on disk, while ordinary clients of
 * the same broker keep sending and receiving; every acknowledged message survives a broker restart.
 * The client methods used differ by name or arity between 4.7.1 and 4.9.7 and are called reflectively.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileGroupNamesTest {
    private static final int SYSTEM_ERROR = 1;
    private static final Pattern LEGAL_TOPIC = Pattern.compile("^[%|a-zA-Z0-9_-]+$");

    private static LocalCluster cluster;
    private static LocalCluster.BrokerNode broker;
    private static DefaultMQProducer producer;
    private static final List<Object> clients = new CopyOnWriteArrayList<>();
    /** Keys of every message the broker acknowledged with SEND_OK, over the whole class. */
    private static final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private static String topic;

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster("hostile-groups");
        cluster.startNamesrv();
        broker = cluster.broker("broker-a", 0, Map.of()).start();
        producer = Clients.producer(cluster.namesrvAddr());
        clients.add(producer);
        topic = Clients.unique("Hostile");
        send("first");
    }

    @AfterAll
    static void stop() throws Exception {
        Clients.shutdownAll(clients);
        cluster.close();
    }

    private static SendResult send(String key) throws Exception {
        SendResult r = producer.send(Clients.message(topic, "T", key));
        assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        acknowledged.add(key);
        return r;
    }

    private static MQClientAPIImpl api() {
        return producer.getDefaultMQProducerImpl().getmQClientFactory().getMQClientAPIImpl();
    }

    /** {@code sendHeartbeat} (4.9.7) or {@code sendHearbeat} (4.7.1). */
    private static void sendHeartbeat(HeartbeatData hb) throws Exception {
        Method m;
        try {
            m = MQClientAPIImpl.class.getMethod("sendHeartbeat", String.class, HeartbeatData.class, long.class);
        } catch (NoSuchMethodException e) {
            m = MQClientAPIImpl.class.getMethod("sendHearbeat", String.class, HeartbeatData.class, long.class);
        }
        invoke(m, broker.addr(), hb, 5000L);
    }

    /** {@code consumerSendMessageBack}: (addr, brokerName, msg, group, level, timeout, max) in 4.9.7, no brokerName in 4.7.1. */
    private static void sendBack(MessageExt msg, String group, int delayLevel) throws Exception {
        for (Method m : MQClientAPIImpl.class.getMethods()) {
            if (!m.getName().equals("consumerSendMessageBack")) {
                continue;
            }
            if (m.getParameterCount() == 7) {
                invoke(m, broker.addr(), "broker-a", msg, group, delayLevel, 5000L, 16);
                return;
            }
            if (m.getParameterCount() == 6) {
                invoke(m, broker.addr(), msg, group, delayLevel, 5000L, 16);
                return;
            }
        }
        throw new IllegalStateException("no consumerSendMessageBack in this client");
    }

    private static void invoke(Method m, Object... args) throws Exception {
        try {
            m.invoke(api(), args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static HeartbeatData heartbeat(String consumerGroup) {
        HeartbeatData hb = new HeartbeatData();
        hb.setClientID("127.0.0.1@hostile");
        ConsumerData c = new ConsumerData();
        c.setGroupName(consumerGroup);
        c.setConsumeType(ConsumeType.CONSUME_PASSIVELY);
        c.setMessageModel(MessageModel.CLUSTERING);
        c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET);
        c.getSubscriptionDataSet().add(new SubscriptionData(topic, "*"));
        hb.getConsumerDataSet().add(c);
        ProducerData p = new ProducerData();
        p.setGroupName("pg_beside_a_hostile_consumer_group");
        hb.getProducerDataSet().add(p);
        return hb;
    }

    /** A message of {@code topic} as a consumer would hand it back: its commitlog offset from the offset message id. */
    private static MessageExt handedBack(SendResult r) throws Exception {
        MessageExt m = new MessageExt();
        m.setTopic(topic);
        m.setMsgId(r.getMsgId());
        m.setCommitLogOffset(MessageDecoder.decodeMessageId(r.getOffsetMsgId()).getOffset());
        m.setBody("x".getBytes(StandardCharsets.UTF_8));
        return m;
    }

    private static void assertRefused(ThrowingCall call, String... remarkParts) {
        assertThatThrownBy(call::run).isInstanceOf(MQBrokerException.class).satisfies(e -> {
            MQBrokerException b = (MQBrokerException) e;
            assertThat(b.getResponseCode()).isEqualTo(SYSTEM_ERROR);
            assertThat(b.getErrorMessage()).contains(remarkParts);
        });
    }

    private static void attempt(ThrowingCall call) throws Exception {
        try {
            call.run();
        } catch (MQBrokerException refused) {
            // expected
        }
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    /** Every file under the broker's consumequeue is {@code <legal topic>/<queueId>/<file>}; nothing named x anywhere near. */
    private static void assertConsumeQueuesStayUnderTheirRoot() throws IOException {
        Path store = broker.storeDir();
        Path cq = store.resolve("consumequeue");
        assertThat(store.resolve("x")).doesNotExist();
        assertThat(store.getParent().resolve("x")).doesNotExist();
        assertThat(store.getParent().getParent().resolve("x")).doesNotExist();
        if (!Files.isDirectory(cq)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(cq)) {
            for (Path p : walk.toList()) {
                Path rel = cq.relativize(p);
                if (rel.toString().isEmpty()) {
                    continue;
                }
                assertThat(rel.getNameCount()).as(rel.toString()).isLessThanOrEqualTo(3);
                assertThat(rel.getName(0).toString()).as(rel.toString()).matches(LEGAL_TOPIC).hasSizeLessThanOrEqualTo(127);
                if (rel.getNameCount() > 1) {
                    assertThat(rel.getName(1).toString()).as(rel.toString()).matches("\\d+");
                }
            }
        }
    }

    @Test
    @Order(1)
    void aHeartbeatWithA250CharacterGroupIsRefusedWhileOtherClientsKeepSendingAndReceiving() throws Exception {
        String group = "G".repeat(250); // the client allows 255; %RETRY% + 250 = 257 > 127
        Set<String> received = ConcurrentHashMap.newKeySet();
        DefaultMQPushConsumer consumer = Clients.pushConsumer(cluster.namesrvAddr(), Clients.unique("cg"), topic, "*",
                m -> received.add(m.getKeys()));
        clients.add(consumer);
        consumer.start();

        AtomicBoolean sending = new AtomicBoolean(true);
        List<String> sentMeanwhile = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> load = pool.submit(() -> {
            for (int i = 0; sending.get() || i < 20; i++) {
                send("meanwhile-" + i);
                sentMeanwhile.add("meanwhile-" + i);
                Thread.sleep(20);
            }
            return null;
        });
        try {
            for (int i = 0; i < 10; i++) {
                assertRefused(() -> sendHeartbeat(heartbeat(group)), "127", "%RETRY%", "^[%|a-zA-Z0-9_-]+$");
            }
        } finally {
            sending.set(false);
            load.get();
            pool.shutdown();
        }
        await("the other consumer receives everything").atMost(Duration.ofSeconds(40))
                .until(() -> received.containsAll(sentMeanwhile));

        // nothing was created for the group: no retry topic (locally or in the route), no subscription group
        assertThatThrownBy(() -> api().getTopicRouteInfoFromNameServer("%RETRY%" + group, 3000))
                .isInstanceOf(MQClientException.class);
        Path config = broker.storeDir().resolve("config");
        for (String file : List.of("topics.json", "subscriptionGroup.json")) {
            if (Files.exists(config.resolve(file))) {
                assertThat(Files.readString(config.resolve(file))).as(file).doesNotContain(group);
            }
        }
        assertConsumeQueuesStayUnderTheirRoot();
    }

    @Test
    @Order(2)
    void aSendBackWithAPathLikeGroupIsRefusedAndCreatesNothingOutsideTheConsumeQueueRoot() throws Exception {
        MessageExt msg = handedBack(send("handed-back"));
        for (String group : List.of("../../../x", "../../x", "a/b", "..", "G".repeat(255))) {
            for (int delayLevel : new int[] {-1, 0}) { // -1: straight to %DLQ%<group>; 0: %RETRY%<group>
                assertRefused(() -> sendBack(msg, group, delayLevel), "^[%|a-zA-Z0-9_-]+$");
            }
        }
        send("after-the-send-backs");
        Thread.sleep(500); // were anything stored, the dispatcher would have created its directories by now
        assertConsumeQueuesStayUnderTheirRoot();
    }

    @Test
    @Order(3)
    void everyAcknowledgedMessageIsConsumableAfterARestart() throws Exception {
        MessageExt msg = handedBack(send("before-hostile"));
        // whether these are refused is the other tests' business; here they must not cost acknowledged messages
        for (String group : List.of("G".repeat(255), "../../../x", "a/b")) {
            attempt(() -> sendBack(msg, group, -1));
            attempt(() -> sendBack(msg, group, 0));
        }
        attempt(() -> sendHeartbeat(heartbeat("G".repeat(250))));
        for (int i = 0; i < 20; i++) {
            send("before-restart-" + i);
        }

        broker.stop();
        broker.start();
        Clients.awaitRoute(producer, topic, 4);
        for (int i = 0; i < 20; i++) {
            send("after-restart-" + i);
        }
        Set<String> received = ConcurrentHashMap.newKeySet();
        DefaultMQPushConsumer consumer = Clients.pushConsumer(cluster.namesrvAddr(), Clients.unique("cg"), topic, "*",
                m -> received.add(m.getKeys()));
        clients.add(consumer);
        consumer.start();
        List<String> expected = new ArrayList<>(acknowledged);
        await("every acknowledged message is consumed after the restart").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(received).containsAll(expected));
        assertConsumeQueuesStayUnderTheirRoot();
    }
}
