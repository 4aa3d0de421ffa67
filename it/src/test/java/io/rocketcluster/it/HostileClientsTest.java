package io.rocketcluster.it;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.MessageSelector;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.common.protocol.RequestCode;
import org.apache.rocketmq.common.protocol.header.PullMessageRequestHeader;
import org.apache.rocketmq.common.protocol.heartbeat.ConsumeType;
import org.apache.rocketmq.common.protocol.heartbeat.ConsumerData;
import org.apache.rocketmq.common.protocol.heartbeat.HeartbeatData;
import org.apache.rocketmq.common.protocol.heartbeat.MessageModel;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyRemotingClient;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Clients that do not play nice, against one broker process with its bounds set small: each attack is
 * refused or absorbed within its bound (RocketMQ's code, a remark naming the key), while an ordinary
 * producer and consumer of the same broker keep their latency, and the broker stays alive within its
 * heap (-Xmx256m) and a resident-memory ceiling. Attacks use the official client, or raw frames encoded
 * with the official client's own codec.
 */
class HostileClientsTest {
    private static final int SYSTEM_BUSY = 2;
    private static final int MESSAGE_ILLEGAL = 13;
    private static final int SUBSCRIPTION_GROUP_NOT_EXIST = 26;
    /** What the broker JVM may use in all (heap 256 MiB, plus metaspace, threads, direct and mapped buffers). */
    private static final long RSS_CEILING_BYTES = 900L * 1024 * 1024;

    private static LocalCluster cluster;
    private static LocalCluster.BrokerNode broker;
    private static DefaultMQProducer producer;
    private static String healthyTopic;
    private static DefaultMQPushConsumer consumer;
    private static final Map<String, Long> received = new ConcurrentHashMap<>();
    private final List<AutoCloseable> attackers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster("hostile");
        cluster.startNamesrv();
        broker = cluster.broker("broker-a", 0, Map.of(
                "pullHoldMaxRequestsPerConnection", "1000",
                "serverMaxConnections", "1000",
                "serverFrameCompletionTimeoutMillis", "2000",
                "autoCreateSubscriptionGroupMaxPerMinute", "40",
                "enablePropertyFilter", "true")).start();
        producer = Clients.producer(cluster.namesrvAddr());
        healthyTopic = Clients.unique("Healthy");
        producer.send(Clients.message(healthyTopic, "T", "warm-up"));
        consumer = new DefaultMQPushConsumer(Clients.unique("healthy_cg"));
        consumer.setNamesrvAddr(cluster.namesrvAddr());
        consumer.setInstanceName(Clients.unique("c"));
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.subscribe(healthyTopic, "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            msgs.forEach(m -> received.put(m.getKeys(), System.nanoTime()));
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> received.containsKey("warm-up"));
    }

    @AfterEach
    void stopAttackers() throws Exception {
        for (AutoCloseable a : attackers) {
            a.close();
        }
        attackers.clear();
    }

    @AfterAll
    static void stop() throws Exception {
        if (consumer != null) {
            consumer.shutdown();
        }
        if (producer != null) {
            producer.shutdown();
        }
        cluster.close();
    }

    /**
     * The ordinary clients, during an attack: 20 sends each acknowledged within a second and each message
     * delivered to the push consumer within 3 seconds; the broker alive, without an OutOfMemoryError, and
     * under the resident-memory ceiling.
     */
    private static void othersKeepTheirLatency() throws Exception {
        for (int i = 0; i < 20; i++) {
            String key = Clients.unique("probe");
            long sent = System.nanoTime();
            SendResult r = producer.send(Clients.message(healthyTopic, "T", key));
            long acked = System.nanoTime();
            assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            assertThat(Duration.ofNanos(acked - sent)).as("send latency").isLessThan(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(3)).until(() -> received.containsKey(key));
        }
        assertThat(broker.isAlive()).isTrue();
        assertThat(Files.readString(broker.logFile())).doesNotContain("OutOfMemoryError");
        assertThat(residentBytes(broker.pid())).isLessThan(RSS_CEILING_BYTES);
    }

    private static long residentBytes(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    private NettyRemotingClient rawClient() {
        NettyRemotingClient c = new NettyRemotingClient(new NettyClientConfig());
        c.start();
        attackers.add(c::shutdown);
        return c;
    }

    private Socket socket() throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", broker.port()), 5000);
        attackers.add(s);
        return s;
    }

    private static boolean closedByBroker(Socket s, Duration within) throws Exception {
        s.setSoTimeout((int) within.toMillis());
        InputStream in = s.getInputStream();
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    private static RemotingCommand pull(String group, String topic, int queueId, long suspendMillis) {
        return pull(group, topic, queueId, 0L, suspendMillis);
    }

    private static RemotingCommand pull(String group, String topic, int queueId, long offset, long suspendMillis) {
        PullMessageRequestHeader h = new PullMessageRequestHeader();
        h.setConsumerGroup(group);
        h.setTopic(topic);
        h.setQueueId(queueId);
        h.setQueueOffset(offset);
        h.setMaxMsgNums(32);
        h.setSysFlag(0x2 | 0x4); // suspend, subscription
        h.setCommitOffset(0L);
        h.setSuspendTimeoutMillis(suspendMillis);
        h.setSubscription("*");
        h.setSubVersion(0L);
        h.setExpressionType("TAG");
        return RemotingCommand.createRequestCommand(RequestCode.PULL_MESSAGE, h);
    }

    private static byte[] frame(RemotingCommand command) {
        ByteBuffer b = command.encode();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    @Test
    void hugePropertiesAreRefusedQuicklyAndTheirSenderGetsMessageIllegal() throws Exception {
        String topic = Clients.unique("HugeProps");
        producer.send(Clients.message(topic, "T", "exists"));
        StringBuilder separators = new StringBuilder();
        for (int i = 0; i < 1 << 20; i++) {
            separators.append(i % 2 == 0 ? ':' : '=');
        }
        Message huge = new Message(topic, "T", "huge", "x".getBytes(StandardCharsets.UTF_8));
        huge.putUserProperty("padding", separators.toString());
        long start = System.nanoTime();
        assertThatThrownBy(() -> producer.send(huge)).isInstanceOf(MQBrokerException.class)
                .satisfies(e -> assertThat(((MQBrokerException) e).getResponseCode()).isEqualTo(MESSAGE_ILLEGAL));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        othersKeepTheirLatency();
    }

    @Test
    void thousandsOfHeldPullsAreBoundedPerConnection() throws Exception {
        String topic = Clients.unique("HeldPulls");
        producer.send(Clients.message(topic, "T", "makes-the-topic"));
        List<Long> ends = new ArrayList<>();
        for (MessageQueue mq : Clients.awaitRoute(producer, topic, 4)) {
            ends.add(Clients.sendAndAwaitDispatched(producer, Clients.message(topic, "T", "one-in-" + mq.getQueueId()), mq));
        }
        String group = Clients.unique("held_cg");
        int[] busy = new int[2];
        String[] remarks = new String[2];
        // every other answer, by code (-1: none within the invocation timeout), for the failure message
        Map<Integer, Integer> otherAnswers = new TreeMap<>();
        for (int c = 0; c < 2; c++) {
            NettyRemotingClient connection = rawClient();
            int conn = c;
            // 2,500 pulls at the end of the queues: every one would be held for 60 s, longer than this test
            for (int i = 0; i < 2_500; i++) {
                connection.invokeAsync(broker.addr(), pull(group, topic, i % 4, ends.get(i % 4), 60_000), 70_000, f -> {
                    RemotingCommand r = f.getResponseCommand();
                    synchronized (busy) {
                        if (r != null && r.getCode() == SYSTEM_BUSY) {
                            busy[conn]++;
                            remarks[conn] = r.getRemark();
                        } else {
                            otherAnswers.merge(r == null ? -1 : r.getCode(), 1, Integer::sum);
                        }
                    }
                });
            }
            // the pulls over the connection's share are refused at once; the others stay held
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                synchronized (busy) {
                    assertThat(busy[conn]).as("refusals on connection %d; other answers by code: %s", conn, otherAnswers)
                            .isGreaterThanOrEqualTo(1_500);
                }
            });
        }
        othersKeepTheirLatency();
        synchronized (busy) {
            assertThat(busy).containsExactly(1_500, 1_500);
            assertThat(otherAnswers).as("held pulls answered early").isEmpty();
            assertThat(remarks[0]).contains("pullHoldMaxRequestsPerConnection");
            assertThat(remarks[1]).contains("pullHoldMaxRequestsPerConnection");
        }
    }

    @Test
    void thousandsOfConnectionsAreCutAtTheLimitAndEstablishedClientsAreUnaffected() throws Exception {
        List<Socket> flood = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            flood.add(socket());
        }
        // the broker accepts 1,000 connections at once and closes the others on arrival
        List<Socket> cut = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (Socket s : flood) {
                if (!cut.contains(s) && closedByBroker(s, Duration.ofMillis(1))) {
                    cut.add(s);
                }
            }
            return cut.size() >= 1_000;
        });
        assertThat(cut.size()).isLessThanOrEqualTo(1_020);
        othersKeepTheirLatency();
        for (Socket s : flood) {
            s.close();
        }
        DefaultMQProducer late = Clients.producer(cluster.namesrvAddr());
        try {
            assertThat(late.send(Clients.message(healthyTopic, "T", Clients.unique("late"))).getSendStatus())
                    .isEqualTo(SendStatus.SEND_OK);
        } finally {
            late.shutdown();
        }
    }

    @Test
    void aConsumerThatNeverReadsCostsTheBrokerAtMostItsWriteBuffer() throws Exception {
        String topic = Clients.unique("NeverRead");
        byte[] body = new byte[64 * 1024];
        MessageQueue mq = null;
        for (int i = 0; i < 64; i++) {
            SendResult r = mq == null ? producer.send(new Message(topic, "T", "k" + i, body))
                    : producer.send(new Message(topic, "T", "k" + i, body), mq);
            mq = r.getMessageQueue();
        }
        Socket s = socket();
        OutputStream out = s.getOutputStream();
        String group = Clients.unique("never_read_cg");
        // each pull answers up to 32 x 64 KiB = 2 MiB; 2,000 of them would be 4 GiB of responses
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 2_000; i++) {
                    RemotingCommand req = pull(group, topic, 0, 0);
                    out.write(frame(req));
                }
            } catch (Exception e) {
                // the broker stopped reading and our send buffer filled, or it closed us: both fine
            }
        }, "never-reading-consumer");
        writer.setDaemon(true);
        writer.start();
        Thread.sleep(3_000); // let the broker fill the connection's buffers up to its water mark
        othersKeepTheirLatency();
        s.close();
        writer.join(10_000);
    }

    @Test
    void slowlorisFramesAreClosedAfterTheFrameTimeout() throws Exception {
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Socket s = socket();
            s.getOutputStream().write(new byte[] {0, 0, 1, 0, 0}); // a 256-byte frame, one byte of it
            slow.add(s);
        }
        othersKeepTheirLatency();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Socket s : slow) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            assertThat(closedByBroker(s, Duration.ofMillis(left))).as("closed after serverFrameCompletionTimeoutMillis")
                    .isTrue();
        }
    }

    @Test
    void aDeepSqlSubscriptionIsRefusedToItsConsumerOnly() throws Exception {
        String topic = Clients.unique("DeepSql");
        producer.send(Clients.message(topic, "T", "exists"));
        String deep = "(".repeat(5_000) + "a = 1" + ")".repeat(5_000);
        DefaultMQPushConsumer deepConsumer = new DefaultMQPushConsumer(Clients.unique("deep_cg"));
        deepConsumer.setNamesrvAddr(cluster.namesrvAddr());
        deepConsumer.setInstanceName(Clients.unique("deep"));
        deepConsumer.subscribe(topic, MessageSelector.bySql(deep));
        deepConsumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) ->
                ConsumeConcurrentlyStatus.CONSUME_SUCCESS);
        try {
            // the client checks its expression with the broker at start and is told why it is refused
            assertThatThrownBy(deepConsumer::start).isInstanceOf(MQClientException.class)
                    .hasStackTraceContaining("sqlFilterMaxDepth");
        } finally {
            deepConsumer.shutdown();
        }
        othersKeepTheirLatency();
    }

    @Test
    void aFloodOfNewGroupsIsCutAtTheAutoCreationRateAndLeavesNoStateBeyondIt() throws Exception {
        String topic = Clients.unique("GroupFlood");
        producer.send(Clients.message(topic, "T", "exists"));
        NettyRemotingClient raw = rawClient();
        int refused = 0;
        String remark = null;
        long start = System.nanoTime();
        for (int i = 0; i < 300; i++) {
            String group = Clients.unique("flood_cg");
            HeartbeatData hb = new HeartbeatData();
            hb.setClientID(Clients.unique("flood-client"));
            ConsumerData cd = new ConsumerData();
            cd.setGroupName(group);
            cd.setConsumeType(ConsumeType.CONSUME_PASSIVELY);
            cd.setMessageModel(MessageModel.CLUSTERING);
            cd.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
            hb.getConsumerDataSet().add(cd);
            RemotingCommand beat = RemotingCommand.createRequestCommand(RequestCode.HEART_BEAT, null);
            beat.setBody(hb.encode());
            assertThat(raw.invokeSync(broker.addr(), beat, 5_000).getCode()).isZero();
            RemotingCommand pull = pull(group, topic, 0, 0);
            ((PullMessageRequestHeader) pull.readCustomHeader()).setSysFlag(0x4); // no suspension: answer now
            RemotingCommand r = raw.invokeSync(broker.addr(), pull, 5_000);
            if (r.getCode() == SUBSCRIPTION_GROUP_NOT_EXIST) {
                refused++;
                remark = r.getRemark();
            }
        }
        // at most the minute's budget (40, plus what refills meanwhile) was created; the rest left nothing
        long minutes = Math.max(1, TimeUnit.NANOSECONDS.toMinutes(System.nanoTime() - start) + 1);
        assertThat(refused).isGreaterThanOrEqualTo(300 - 40 * (int) minutes - 40);
        assertThat(remark).contains("autoCreateSubscriptionGroupMaxPerMinute");
        othersKeepTheirLatency();
    }
}
