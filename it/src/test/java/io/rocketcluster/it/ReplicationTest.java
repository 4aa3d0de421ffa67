package io.rocketcluster.it;

import org.apache.rocketmq.client.ClientConfig;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.impl.MQClientManager;
import org.apache.rocketmq.client.impl.factory.MQClientInstance;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.common.protocol.RequestCode;
import org.apache.rocketmq.common.protocol.header.GetMaxOffsetRequestHeader;
import org.apache.rocketmq.common.protocol.header.GetMaxOffsetResponseHeader;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Master/slave replication with the official client: catch-up, late slave, SYNC_MASTER, failover. */
class ReplicationTest {
    private LocalCluster cluster;
    private final List<Object> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        Clients.shutdownAll(clients);
        if (cluster != null) {
            cluster.close();
        }
    }

    private LocalCluster.BrokerNode master(String name, String role) {
        return cluster.broker(name, 0, Map.of("brokerRole", role));
    }

    private LocalCluster.BrokerNode slave(String name) {
        return cluster.broker(name, 1, Map.of("brokerRole", "SLAVE"));
    }

    private DefaultMQProducer producer() throws Exception {
        DefaultMQProducer p = Clients.producer(cluster.namesrvAddr());
        clients.add(p);
        return p;
    }

    private List<SendResult> send(DefaultMQProducer p, String topic, int n, String prefix) throws Exception {
        return send(p, topic, n, prefix, 0);
    }

    /** Sends {@code n} messages keyed {@code prefix + i}, each body the key padded to {@code padTo} bytes. */
    private List<SendResult> send(DefaultMQProducer p, String topic, int n, String prefix, int padTo) throws Exception {
        List<SendResult> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] key = (prefix + i).getBytes(StandardCharsets.UTF_8);
            byte[] body = java.util.Arrays.copyOf(key, Math.max(key.length, padTo));
            results.add(p.send(new Message(topic, "TagA", prefix + i, body)));
        }
        return results;
    }

    /** Max offset of each queue of {@code topic} on one broker address (master or slave). */
    static long[] maxOffsets(MQClientInstance client, String addr, String topic, int queues) throws Exception {
        long[] out = new long[queues];
        for (int q = 0; q < queues; q++) {
            GetMaxOffsetRequestHeader header = new GetMaxOffsetRequestHeader();
            header.setTopic(topic);
            header.setQueueId(q);
            RemotingCommand request = RemotingCommand.createRequestCommand(RequestCode.GET_MAX_OFFSET, header);
            RemotingCommand response = client.getMQClientAPIImpl().getRemotingClient().invokeSync(addr, request, 3000);
            assertThat(response.getCode()).isZero();
            out[q] = ((GetMaxOffsetResponseHeader) response.decodeCommandCustomHeader(GetMaxOffsetResponseHeader.class))
                    .getOffset();
        }
        return out;
    }

    private MQClientInstance rawClient() {
        return rawClient(cluster.namesrvAddr());
    }

    /** A client instance for raw requests (not started). */
    static MQClientInstance rawClient(String namesrvAddr) {
        ClientConfig cc = new ClientConfig();
        cc.setNamesrvAddr(namesrvAddr);
        cc.setInstanceName(Clients.unique("raw"));
        MQClientInstance instance = MQClientManager.getInstance().getOrCreateMQClientInstance(cc);
        return instance;
    }

    @Test
    void theSlaveCatchesUpAndALateSlaveReplicatesFromTheStart() throws Exception {
        cluster = new LocalCluster("replication-catch-up");
        cluster.startNamesrv();
        // 128 KiB commitlog files: the 200 messages before the slave exists fill several of them
        Map<String, String> smallFiles = Map.of("mappedFileSizeCommitLog", "131072", "maxMessageSize", "65536");
        LocalCluster.BrokerNode m = cluster.broker("broker-a", 0, with(smallFiles, "brokerRole", "ASYNC_MASTER")).start();
        DefaultMQProducer p = producer();
        String topic = Clients.unique("Repl");
        assertThat(send(p, topic, 200, "before-", 2048)).allMatch(r -> r.getSendStatus() == SendStatus.SEND_OK);
        assertThat(commitLogFiles(m)).hasSizeGreaterThan(2);

        LocalCluster.BrokerNode s = cluster.broker("broker-a", 1, with(smallFiles, "brokerRole", "SLAVE")).start();
        assertThat(send(p, topic, 200, "after-", 0)).allMatch(r -> r.getSendStatus() == SendStatus.SEND_OK);

        MQClientInstance raw = rawClient();
        raw.start();
        try {
            int queues = p.fetchPublishMessageQueues(topic).size();
            long[] onMaster = maxOffsets(raw, m.addr(), topic, queues);
            assertThat(java.util.Arrays.stream(onMaster).sum()).isEqualTo(400);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(maxOffsets(raw, s.addr(), topic, queues)).containsExactly(onMaster));
            // the empty slave got the whole log, not only the master's newest file
            assertThat(commitLogFiles(s)).isEqualTo(commitLogFiles(m));
            assertThat(dataEnd(commitLogDir(s).resolve("00000000000000000000")))
                    .isEqualTo(dataEnd(commitLogDir(m).resolve("00000000000000000000")));
        } finally {
            raw.shutdown();
        }
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new java.util.HashMap<>(base);
        m.put(key, value);
        return m;
    }

    private static Path commitLogDir(LocalCluster.BrokerNode node) {
        return node.storeDir().resolve("commitlog");
    }

    private static List<String> commitLogFiles(LocalCluster.BrokerNode node) throws Exception {
        try (var files = java.nio.file.Files.list(commitLogDir(node))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void syncMasterWithoutASlaveReportsSlaveNotAvailable() throws Exception {
        cluster = new LocalCluster("replication-sync-no-slave");
        cluster.startNamesrv();
        master("broker-a", "SYNC_MASTER").start();
        DefaultMQProducer p = producer();
        List<SendResult> results = send(p, Clients.unique("SyncNoSlave"), 5, "m");
        assertThat(results).allMatch(r -> r.getSendStatus() == SendStatus.SLAVE_NOT_AVAILABLE);
    }

    @Test
    void syncMasterAcknowledgedMessagesAreOnTheSlaveAfterTheMasterIsKilled() throws Exception {
        cluster = new LocalCluster("replication-sync-kill");
        cluster.startNamesrv();
        LocalCluster.BrokerNode m = master("broker-a", "SYNC_MASTER").start();
        slave("broker-a").start();
        DefaultMQProducer p = producer();
        String topic = Clients.unique("SyncKill");
        // wait for the slave's HA connection: until then sends report SLAVE_NOT_AVAILABLE
        await().atMost(Duration.ofSeconds(30)).until(() ->
                p.send(new Message(topic, "probe".getBytes(StandardCharsets.UTF_8))).getSendStatus() == SendStatus.SEND_OK);
        Set<String> acked = ConcurrentHashMap.newKeySet();
        for (SendResult r : send(p, topic, 300, "k")) {
            assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        }
        for (int i = 0; i < 300; i++) {
            acked.add("k" + i);
        }
        m.kill9();

        Set<String> received = ConcurrentHashMap.newKeySet();
        DefaultMQPushConsumer c = Clients.pushConsumer(cluster.namesrvAddr(), Clients.unique("cg"), topic, "*",
                msg -> received.add(msg.getKeys()));
        clients.add(c);
        c.start();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(received).containsAll(acked));
    }

    @Test
    void consumersFailOverToTheSlaveAndTheMasterRejoins() throws Exception {
        cluster = new LocalCluster("replication-failover");
        cluster.startNamesrv();
        LocalCluster.BrokerNode a0 = master("broker-a", "ASYNC_MASTER").start();
        LocalCluster.BrokerNode a1 = slave("broker-a").start();
        master("broker-b", "ASYNC_MASTER").start();
        DefaultMQProducer p = producer();
        p.setPollNameServerInterval(1000);
        String topic = Clients.unique("Failover");
        Map<String, Integer> received = new ConcurrentHashMap<>();
        DefaultMQPushConsumer c = Clients.pushConsumer(cluster.namesrvAddr(), Clients.unique("cg"), topic, "*",
                msg -> received.merge(msg.getKeys(), 1, Integer::sum));
        c.setPollNameServerInterval(1000);
        clients.add(c);

        Set<String> sent = ConcurrentHashMap.newKeySet();
        Set<String> brokers = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 200; i++) {
            SendResult r = p.send(new Message(topic, "T", "pre" + i, ("pre" + i).getBytes(StandardCharsets.UTF_8)));
            assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            sent.add("pre" + i);
            brokers.add(r.getMessageQueue().getBrokerName());
        }
        assertThat(brokers).containsExactlyInAnyOrder("broker-a", "broker-b");
        // the slave holds everything broker-a acknowledged before the crash
        MQClientInstance before = rawClient();
        before.start();
        try {
            MQClientInstance raw = before;
            List<MessageQueue> aQueues = p.fetchPublishMessageQueues(topic).stream()
                    .filter(q -> q.getBrokerName().equals("broker-a")).toList();
            long[] onMaster = maxOffsets(raw, a0.addr(), topic, aQueues.size());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(maxOffsets(raw, a1.addr(), topic, aQueues.size())).containsExactly(onMaster));
        } finally {
            before.shutdown();
        }
        a0.kill9();
        c.start();

        // producers keep sending through broker-b
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try {
                SendResult r = p.send(new Message(topic, "T", "probe", "p".getBytes(StandardCharsets.UTF_8)));
                return r.getMessageQueue().getBrokerName().equals("broker-b");
            } catch (Exception e) {
                return false;
            }
        });
        for (int i = 0; i < 100; i++) {
            SendResult r = p.send(new Message(topic, "T", "during" + i, ("during" + i).getBytes(StandardCharsets.UTF_8)));
            assertThat(r.getMessageQueue().getBrokerName()).isEqualTo("broker-b");
            sent.add("during" + i);
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(received.keySet()).containsAll(sent));

        // the master comes back: it serves again and the slave follows it
        a0.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            SendResult r = p.send(new Message(topic, "T", "back", "b".getBytes(StandardCharsets.UTF_8)));
            return r.getMessageQueue().getBrokerName().equals("broker-a");
        });
        for (int i = 0; i < 100; i++) {
            p.send(new Message(topic, "T", "post" + i, ("post" + i).getBytes(StandardCharsets.UTF_8)));
            sent.add("post" + i);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(received.keySet()).containsAll(sent));
        MQClientInstance after = rawClient();
        after.start();
        try {
            MQClientInstance r = after;
            int aQueueCount = (int) p.fetchPublishMessageQueues(topic).stream()
                    .filter(q -> q.getBrokerName().equals("broker-a")).count();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(maxOffsets(r, a1.addr(), topic, aQueueCount))
                            .containsExactly(maxOffsets(r, a0.addr(), topic, aQueueCount)));
        } finally {
            after.shutdown();
        }
    }

    /**
     * The defined behaviour when the master lost an unflushed tail (a machine crash): the slave saves
     * the bytes the master no longer has under store/ha-divergent/, truncates to the master's end and
     * follows the master again.
     */
    @Test
    void aSlaveAheadOfACrashedMasterSavesTheDivergentTailAndFollowsAgain() throws Exception {
        cluster = new LocalCluster("replication-divergence");
        cluster.startNamesrv();
        LocalCluster.BrokerNode m = master("broker-a", "ASYNC_MASTER").start();
        LocalCluster.BrokerNode s = slave("broker-a").start();
        DefaultMQProducer p = producer();
        String topic = Clients.unique("Diverge");
        assertThat(send(p, topic, 100, "m")).allMatch(r -> r.getSendStatus() == SendStatus.SEND_OK);
        int queues = p.fetchPublishMessageQueues(topic).size();
        MQClientInstance raw = rawClient();
        raw.start();
        try {
            long[] before = maxOffsets(raw, m.addr(), topic, queues);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(maxOffsets(raw, s.addr(), topic, queues)).containsExactly(before));

            // the master crashes and loses the last ~3 KB it had not flushed: whole records, as a crash loses
            // them (a half-lost record the master's recovery accepted would differ from the slave's copy below
            // the cut, and the slave would refuse instead: EpochSafetyTest)
            m.kill9();
            Path commitLog = m.storeDir().resolve("commitlog").resolve("00000000000000000000");
            long dataEnd = dataEnd(commitLog);
            long cut = recordStartBefore(commitLog, dataEnd - 3000);
            try (FileChannel ch = FileChannel.open(commitLog, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.allocate((int) (dataEnd - cut)), cut);
            }
            m.start();

            Path divergent = s.storeDir().resolve("ha-divergent");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.isDirectory(divergent)
                    && Files.list(divergent).findAny().isPresent());
            long[] afterCrash = maxOffsets(raw, m.addr(), topic, queues);
            assertThat(java.util.Arrays.stream(afterCrash).sum()).isLessThan(100);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(maxOffsets(raw, s.addr(), topic, queues)).containsExactly(afterCrash));
            Path saved = Files.list(divergent).findFirst().orElseThrow();
            String[] range = saved.getFileName().toString().replace(".bin", "").split("-");
            assertThat(Files.size(saved)).isEqualTo(Long.parseLong(range[1]) - Long.parseLong(range[0])).isPositive();

            // and it follows the master again
            assertThat(send(p, topic, 20, "n")).allMatch(r -> r.getSendStatus() == SendStatus.SEND_OK);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(maxOffsets(raw, s.addr(), topic, queues))
                            .containsExactly(maxOffsets(raw, m.addr(), topic, queues)));
        } finally {
            raw.shutdown();
        }
    }

    /** With slaveReadEnable, a master whose data is "cold" tells the consumer to read from the slave. */
    @Test
    void slaveReadEnableSuggestsTheSlaveForColdDataAndTheFastChannelServesProducers() throws Exception {
        cluster = new LocalCluster("replication-slave-read");
        cluster.startNamesrv();
        // accessMessageInMemoryMaxRatio=0: nothing counts as in memory, so all data is cold
        cluster.broker("broker-a", 0, Map.of("brokerRole", "ASYNC_MASTER",
                "slaveReadEnable", "true", "accessMessageInMemoryMaxRatio", "0")).start();
        slave("broker-a").start();
        DefaultMQProducer p = producer();
        p.setVipChannelEnabled(true); // sends go to listenPort-2
        String topic = Clients.unique("SlaveRead");
        assertThat(send(p, topic, 50, "m")).allMatch(r -> r.getSendStatus() == SendStatus.SEND_OK);

        org.apache.rocketmq.client.consumer.DefaultMQPullConsumer pull =
                new org.apache.rocketmq.client.consumer.DefaultMQPullConsumer(Clients.unique("pull"));
        pull.setNamesrvAddr(cluster.namesrvAddr());
        pull.setInstanceName(Clients.unique("pull"));
        pull.start();
        clients.add(pull);
        try {
            MessageQueue nonEmpty = null;
            for (MessageQueue q : pull.fetchSubscribeMessageQueues(topic)) {
                if (pull.maxOffset(q) > 0) {
                    nonEmpty = q;
                }
            }
            assertThat(nonEmpty).isNotNull();
            org.apache.rocketmq.client.consumer.PullResult r = pull.pull(nonEmpty, "*", 0, 32);
            assertThat(r.getPullStatus()).isEqualTo(org.apache.rocketmq.client.consumer.PullStatus.FOUND);
            assertThat(((org.apache.rocketmq.client.impl.consumer.PullResultExt) r).getSuggestWhichBrokerId())
                    .isEqualTo(1L);
        } finally {
            pull.shutdown();
        }
    }

    /** The slave pulls topic configs, consumer offsets and subscription groups from its master. */
    @Test
    void theSlaveSynchronisesMetadataFromItsMaster() throws Exception {
        cluster = new LocalCluster("replication-metadata");
        cluster.startNamesrv();
        LocalCluster.BrokerNode m = master("broker-a", "ASYNC_MASTER").start();
        LocalCluster.BrokerNode s = slave("broker-a").start();
        DefaultMQProducer p = producer();
        String topic = Clients.unique("Meta");
        String group = Clients.unique("cg");
        assertThat(send(p, topic, 20, "m")).allMatch(r -> r.getSendStatus() == SendStatus.SEND_OK);
        Set<String> got = ConcurrentHashMap.newKeySet();
        DefaultMQPushConsumer c = Clients.pushConsumer(cluster.namesrvAddr(), group, topic, "*",
                msg -> got.add(msg.getKeys()));
        clients.add(c);
        c.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> got.size() == 20);
        MQClientInstance raw = rawClient();
        raw.start();
        try {
            await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
                assertThat(body(raw, s.addr(), RequestCode.GET_ALL_TOPIC_CONFIG)).contains("\"" + topic + "\"");
                assertThat(body(raw, s.addr(), RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG)).contains("\"" + group + "\"");
                assertThat(body(raw, s.addr(), RequestCode.GET_ALL_CONSUMER_OFFSET)).contains(topic + "@" + group);
            });
            assertThat(body(raw, m.addr(), RequestCode.GET_ALL_DELAY_OFFSET)).contains("offsetTable");
        } finally {
            raw.shutdown();
        }
    }

    /** Offsets committed to the slave while the master is down are not lost when it returns. */
    @Test
    void offsetsCommittedWhileTheMasterIsDownSurviveItsReturn() throws Exception {
        cluster = new LocalCluster("replication-offsets");
        cluster.startNamesrv();
        LocalCluster.BrokerNode m = master("broker-a", "ASYNC_MASTER").start();
        LocalCluster.BrokerNode s = slave("broker-a").start();
        DefaultMQProducer p = producer();
        String topic = Clients.unique("Offsets");
        String group = Clients.unique("cg");
        assertThat(send(p, topic, 50, "m")).allMatch(r -> r.getSendStatus() == SendStatus.SEND_OK);
        int queues = p.fetchPublishMessageQueues(topic).size();
        MQClientInstance raw = rawClient();
        raw.start();
        try {
            long[] onMaster = maxOffsets(raw, m.addr(), topic, queues);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(maxOffsets(raw, s.addr(), topic, queues)).containsExactly(onMaster));
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    body(raw, s.addr(), RequestCode.GET_ALL_TOPIC_CONFIG).contains("\"" + topic + "\""));
        } finally {
            raw.shutdown();
        }
        m.kill9();

        // consumed from the slave; the consumer commits its offsets there
        Set<String> first = ConcurrentHashMap.newKeySet();
        DefaultMQPushConsumer c1 = Clients.pushConsumer(cluster.namesrvAddr(), group, topic, "*",
                msg -> first.add(msg.getKeys()));
        c1.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> first.size() == 50);
        c1.shutdown(); // persists its offsets to the slave

        m.start();
        // a new consumer of the group, once the master is back, starts after what was consumed
        assertThat(send(p, topic, 10, "later")).allMatch(r -> r.getSendStatus() == SendStatus.SEND_OK);
        Set<String> second = ConcurrentHashMap.newKeySet();
        DefaultMQPushConsumer c2 = Clients.pushConsumer(cluster.namesrvAddr(), group, topic, "*",
                msg -> second.add(msg.getKeys()));
        clients.add(c2);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            MQClientInstance r = rawClient();
            r.start();
            try {
                return body(r, m.addr(), RequestCode.GET_ALL_CONSUMER_OFFSET).contains(topic + "@" + group);
            } finally {
                r.shutdown();
            }
        });
        c2.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> second.size() >= 10);
        assertThat(second).allMatch(k -> k.startsWith("later")).hasSize(10);
    }

    private static String body(MQClientInstance client, String addr, int code) throws Exception {
        RemotingCommand r = client.getMQClientAPIImpl().getRemotingClient()
                .invokeSync(addr, RemotingCommand.createRequestCommand(code, null), 3000);
        assertThat(r.getCode()).isZero();
        return new String(r.getBody(), StandardCharsets.UTF_8);
    }

    /** The start of the last record of a commitlog file that begins at or before {@code limit}. */
    static long recordStartBefore(Path file, long limit) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer size = ByteBuffer.allocate(4);
            long pos = 0;
            long last = 0;
            while (pos <= limit) {
                size.clear();
                ch.read(size, pos);
                int n = size.flip().getInt();
                if (n <= 0) {
                    break;
                }
                last = pos;
                pos += n;
            }
            return last;
        }
    }

    /** Offset just past the last non-zero byte of a commitlog file. */
    static long dataEnd(Path file) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long size = ch.size();
            long end = 0;
            for (long pos = 0; pos < size; pos += buf.capacity()) {
                buf.clear();
                ch.read(buf, pos);
                boolean any = false;
                for (int i = buf.position() - 1; i >= 0; i--) {
                    if (buf.get(i) != 0) {
                        end = pos + i + 1;
                        any = true;
                        break;
                    }
                }
                if (!any && end > 0) {
                    break;
                }
            }
            return end;
        }
    }
}
