package io.rocketcluster.it;

import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.impl.factory.MQClientInstance;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The slave's acknowledged data against masters that cannot prove it should go (docs/replication.md §9): a
 * master back on an empty volume, and fake masters (one that speaks the handshake with a made-up history,
 * one that speaks RocketMQ 4.x's stream and answers "my log ends at 0"). In each case the slave keeps every
 * message and stays readable; the empty master refuses writes instead of starting a second history.
 */
class EpochSafetyTest {
    private static final long MAGIC = 0xFFFF_5243_4841_0001L;
    private LocalCluster cluster;
    private LocalCluster.BrokerNode master;
    private LocalCluster.BrokerNode slave;
    private final List<Object> clients = new ArrayList<>();

    /** A nameserver, an ASYNC_MASTER and its slave, started. */
    private void startPair(String testName, String brokerName) throws Exception {
        cluster = new LocalCluster(testName);
        cluster.startNamesrv();
        master = cluster.broker(brokerName, 0, Map.of("brokerRole", "ASYNC_MASTER")).start();
        slave = cluster.broker(brokerName, 1, Map.of("brokerRole", "SLAVE")).start();
    }

    @AfterEach
    void stop() throws Exception {
        Clients.shutdownAll(clients);
        if (cluster != null) {
            cluster.close();
        }
    }

    private DefaultMQProducer producer() throws Exception {
        DefaultMQProducer p = Clients.producer(cluster.namesrvAddr());
        p.setRetryTimesWhenSendFailed(0);
        clients.add(p);
        return p;
    }

    /** Sends {@code n} messages to a new topic and waits until the slave holds them all; returns the queue ends. */
    private long[] replicated(String topic, int n) throws Exception {
        DefaultMQProducer p = producer();
        for (int i = 0; i < n; i++) {
            Message m = new Message(topic, "T", "k" + i, ("acknowledged " + i).getBytes(StandardCharsets.UTF_8));
            if (i == 0) {
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> p.send(m).getSendStatus() == SendStatus.SEND_OK);
            } else {
                assertThat(p.send(m).getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            }
        }
        int queues = p.fetchPublishMessageQueues(topic).size();
        MQClientInstance raw = raw();
        long[] onMaster = ReplicationTest.maxOffsets(raw, master.addr(), topic, queues);
        assertThat(java.util.Arrays.stream(onMaster).sum()).isEqualTo(n);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ReplicationTest.maxOffsets(raw, slave.addr(), topic, queues)).containsExactly(onMaster));
        return onMaster;
    }

    private MQClientInstance raw() {
        MQClientInstance raw = ReplicationTest.rawClient(cluster.namesrvAddr());
        try {
            raw.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        clients.add(new AutoCloseable() {
            @Override
            public void close() {
                raw.shutdown();
            }
        });
        return raw;
    }

    @Test
    void aMasterBackOnAnEmptyVolumeLeavesTheSlavesDataAloneAndRefusesWrites() throws Exception {
        startPair("epochs-empty-master", "broker-e");
        String topic = Clients.unique("EmptyMaster");
        long[] before = replicated(topic, 200);

        master.stop();
        master.wipeStore();
        master.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> slave.log().contains("refusing to follow master"));
        assertThat(slave.log()).contains("shares no epoch");
        MQClientInstance raw = raw();
        assertThat(ReplicationTest.maxOffsets(raw, slave.addr(), topic, before.length))
                .as("every acknowledged message is still on the slave").containsExactly(before);
        assertThat(ObservabilityTest.get(slave.metricsPort(), "/health/ready").body()).contains("refusing to follow");
        await().atMost(Duration.ofSeconds(30)).until(() -> master.log().contains("[HA_FENCED]"));
        String masterMetrics = ObservabilityTest.get(master.metricsPort(), "/metrics").body();
        assertThat(ObservabilityTest.sample(masterMetrics, "rocketcluster_ha_write_fenced")).isEqualTo(1.0);
        assertThat(ObservabilityTest.sample(ObservabilityTest.get(slave.metricsPort(), "/metrics").body(),
                "rocketcluster_ha_slave_refusing")).isEqualTo(1.0);

        // the empty master takes no writes that would start a second history
        DefaultMQProducer p = producer();
        MessageQueue onMaster = new MessageQueue(topic, "broker-e", 0);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptionsMatching(e -> !(e instanceof MQBrokerException))
                .untilAsserted(() -> {
                    try {
                        p.send(new Message(topic, "T", "late", "late".getBytes(StandardCharsets.UTF_8)), onMaster);
                        throw new AssertionError("a fenced master accepted a write");
                    } catch (MQBrokerException e) {
                        assertThat(e.getResponseCode()).isEqualTo(14);
                        assertThat(e.getErrorMessage()).contains("[HA_FENCED]");
                    }
                });
        // and a restart does not lift the fence
        master.stop();
        master.start();
        assertThat(ObservabilityTest.sample(ObservabilityTest.get(master.metricsPort(), "/metrics").body(),
                "rocketcluster_ha_write_fenced")).isEqualTo(1.0);
        assertThat(ReplicationTest.maxOffsets(raw, slave.addr(), topic, before.length)).containsExactly(before);

        // the operator decides the (empty) master is the truth: the slave saves everything, then follows it
        AdminCli.Run resolved = AdminCli.run(cluster.work(), cluster.namesrvAddr(), Map.of(),
                "haResolve", "-b", slave.addr(), "-k", "master");
        assertThat(resolved.exit()).as(resolved.err()).isZero();
        assertThat(resolved.out()).contains("saves its data");
        Path divergent = slave.storeDir().resolve("ha-divergent");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.isDirectory(divergent)
                && Files.list(divergent).findAny().isPresent());
        Path saved = Files.list(divergent).findFirst().orElseThrow();
        assertThat(saved.getFileName().toString()).startsWith("0-");
        await().atMost(Duration.ofSeconds(30)).until(() -> ObservabilityTest.sample(ObservabilityTest.get(
                master.metricsPort(), "/metrics").body(), "rocketcluster_ha_write_fenced") == 0.0);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> p.send(new Message(topic, "T", "after",
                "after".getBytes(StandardCharsets.UTF_8)), onMaster).getSendStatus() == SendStatus.SEND_OK);
        assertThat(ObservabilityTest.get(slave.metricsPort(), "/health/ready").status()).isEqualTo(200);
    }

    @Test
    void fakeMastersCannotMakeTheSlaveDropAnything() throws Exception {
        startPair("epochs-fake-master", "broker-f");
        String topic = Clients.unique("FakeMaster");
        long[] before = replicated(topic, 100);
        long slaveEnd = commitLogEnd(slave);
        slave.stop();

        try (ServerSocket fake = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            fake.setSoTimeout(30_000);
            LocalCluster.BrokerNode victim = cluster.broker("broker-f", 1, Map.of("brokerRole", "SLAVE",
                    "storePathRootDir", slave.storeDir().toString(),
                    "haMasterAddress", "127.0.0.1:" + fake.getLocalPort())).start();
            // 1: a fake that speaks the handshake, with a history of its own making and an empty log
            try (Socket link = fake.accept()) {
                link.setSoTimeout(10_000);
                DataInputStream in = new DataInputStream(link.getInputStream());
                DataOutputStream out = new DataOutputStream(link.getOutputStream());
                assertThat(in.readLong()).as("the slave's probe").isEqualTo(MAGIC);
                out.writeLong(MAGIC);
                out.writeInt(-1);
                out.flush();
                assertThat(in.readLong()).isEqualTo(MAGIC);
                byte[] hello = new byte[in.readInt()];
                in.readFully(hello);
                String nonce = new String(hello, StandardCharsets.UTF_8).replaceAll("(?s).*\"nonce\":\"([0-9a-f]+)\".*", "$1");
                handshake(out, "{\"type\":\"welcome\",\"clusterName\":\"ItCluster\",\"brokerName\":\"broker-f\","
                        + "\"brokerId\":\"0\",\"nonce\":\"f00d\",\"timestamp\":\"0\",\"peerNonce\":\"" + nonce + "\","
                        + "\"epochs\":\"1:0:0000000000000001,2:0:0000000000000002\",\"minOffset\":\"0\",\"maxOffset\":\"0\","
                        + "\"crcFrom\":\"0\",\"crcTo\":\"0\",\"crc\":\"0\"}");
                await().atMost(Duration.ofSeconds(10)).until(() -> victim.log().contains("refusing to follow master"));
            }
            // 2: a fake that answers like an Apache RocketMQ master, then says its log ends at 0 (which used to
            // make a slave cut everything)
            try (Socket link = fake.accept()) {
                link.setSoTimeout(10_000);
                DataInputStream in = new DataInputStream(link.getInputStream());
                DataOutputStream out = new DataOutputStream(link.getOutputStream());
                assertThat(in.readLong()).isEqualTo(MAGIC);
                out.writeLong(MAGIC); // an Apache master's heartbeat for the "offset" it was sent
                out.writeInt(0);
                out.flush();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> victim.log().contains("speaks no handshake"));
            try (Socket link = fake.accept()) {
                link.setSoTimeout(15_000);
                DataInputStream in = new DataInputStream(link.getInputStream());
                DataOutputStream out = new DataOutputStream(link.getOutputStream());
                assertThat(in.readLong()).as("a plain offset report").isEqualTo(slaveEnd);
                out.writeLong(0);
                out.writeInt(0);
                out.flush();
                await().atMost(Duration.ofSeconds(10)).until(() -> victim.log().contains("but this slave's commitlog ends at"));
            }
            victim.stop();
            assertThat(commitLogEnd(victim)).isEqualTo(slaveEnd);
            assertThat(victim.storeDir().resolve("ha-divergent")).doesNotExist();
        }
        slave.start();
        MQClientInstance raw = raw();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(ReplicationTest.maxOffsets(raw, slave.addr(), topic, before.length)).containsExactly(before));
    }

    /**
     * ACL off, nothing can prove who a slave is: a fake one can claim a history the master lacks. The worst it
     * does is stop writes (the master fences itself, docs/replication.md §9.3) until an operator lifts the
     * fence; neither the master nor the real slave loses a byte, and a fake that speaks RocketMQ 4.x's stream
     * and claims an offset past the master's end is hung up on.
     */
    @Test
    void fakeSlavesCannotMakeAnyoneDropAnything() throws Exception {
        startPair("epochs-fake-slave", "broker-s");
        String topic = Clients.unique("FakeSlave");
        long[] before = replicated(topic, 100);
        long masterEnd = commitLogEnd(master);

        // 1: a fake "slave 2" that speaks the handshake and claims acknowledged data the master never had
        try (Socket link = new Socket("127.0.0.1", master.port() + 1)) {
            link.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(link.getInputStream());
            DataOutputStream out = new DataOutputStream(link.getOutputStream());
            out.writeLong(MAGIC);
            out.flush();
            assertThat(in.readLong()).as("the master's answer to the probe").isEqualTo(MAGIC);
            assertThat(in.readInt()).isEqualTo(-1);
            handshake(out, "{\"type\":\"hello\",\"clusterName\":\"ItCluster\",\"brokerName\":\"broker-s\","
                    + "\"brokerId\":\"2\",\"nonce\":\"beef\",\"timestamp\":\"0\","
                    + "\"epochs\":\"1:0:00000000000000ff:r,7:0:0000000000000abc:r\",\"minOffset\":\"0\","
                    + "\"maxOffset\":\"999999999\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> master.log().contains("slave 2 holds data its log lacks"));
        }
        assertThat(ObservabilityTest.sample(ObservabilityTest.get(master.metricsPort(), "/metrics").body(),
                "rocketcluster_ha_write_fenced")).isEqualTo(1.0);

        // 2: a fake that speaks RocketMQ 4.x's stream (no probe) and reports an offset past the master's end
        try (Socket link = new Socket("127.0.0.1", master.port() + 1)) {
            link.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(link.getOutputStream());
            out.writeLong(masterEnd + 1_000_000);
            out.flush();
            assertThat(link.getInputStream().read()).as("the master hangs up").isEqualTo(-1);
        }

        MQClientInstance raw = raw();
        assertThat(commitLogEnd(master)).isEqualTo(masterEnd);
        assertThat(ReplicationTest.maxOffsets(raw, master.addr(), topic, before.length)).containsExactly(before);
        assertThat(ReplicationTest.maxOffsets(raw, slave.addr(), topic, before.length)).containsExactly(before);
        assertThat(master.storeDir().resolve("ha-divergent")).doesNotExist();
        assertThat(slave.storeDir().resolve("ha-divergent")).doesNotExist();

        // the operator lifts the fence, and writes go on
        AdminCli.Run resolved = AdminCli.run(cluster.work(), cluster.namesrvAddr(), Map.of(),
                "haResolve", "-b", master.addr(), "-k", "master");
        assertThat(resolved.exit()).as(resolved.err()).isZero();
        DefaultMQProducer p = producer();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> p.send(new Message(topic, "T", "after",
                "after".getBytes(StandardCharsets.UTF_8)), new MessageQueue(topic, "broker-s", 0)).getSendStatus()
                == SendStatus.SEND_OK);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                ReplicationTest.maxOffsets(raw, slave.addr(), topic, before.length)[0]).isEqualTo(before[0] + 1));
    }

    @Test
    void aMasterWhoseRecoveredLogDiffersBelowTheCutIsRefusedByTheCrcCheck() throws Exception {
        startPair("epochs-crc", "broker-c");
        String topic = Clients.unique("CrcMaster");
        long[] before = replicated(topic, 100);
        long slaveEnd = commitLogEnd(slave);
        // the master loses its last ~3 KB, and with them the last 10 bytes of the record it keeps: that record's
        // properties end in zeros where the slave has the real bytes, and its recovery takes it anyway (as
        // RocketMQ's does: the body CRC does not cover the properties)
        master.kill9();
        Path commitLog = master.storeDir().resolve("commitlog").resolve("00000000000000000000");
        long dataEnd = ReplicationTest.dataEnd(commitLog);
        long kept = ReplicationTest.recordStartBefore(commitLog, dataEnd - 3000);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(commitLog,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer size = java.nio.ByteBuffer.allocate(4);
            ch.read(size, kept);
            long zeroFrom = kept + size.flip().getInt() - 10;
            ch.write(java.nio.ByteBuffer.allocate((int) (dataEnd - zeroFrom)), zeroFrom);
        }
        master.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> slave.log().contains("the logs differ just below offset"));
        assertThat(commitLogEnd(slave)).isEqualTo(slaveEnd);
        assertThat(slave.storeDir().resolve("ha-divergent")).doesNotExist();
        assertThat(ReplicationTest.maxOffsets(raw(), slave.addr(), topic, before.length)).containsExactly(before);

        // only the slave can see the CRC differ: it tells the master, which refuses writes, and the fence stays
        // up while the slave keeps reconnecting (every 5 s) and refusing
        await().atMost(Duration.ofSeconds(30)).until(() -> writeFenced(master));
        assertThat(master.log()).contains("slave 1 holds data its log lacks (it refuses to follow this master: the logs differ");
        long handshakes = linesWith(master, "slave 1 (");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(writeFenced(master)).as("the fence while the slave refuses").isTrue();
            return linesWith(master, "slave 1 (") >= handshakes + 2;
        });
    }

    private static boolean writeFenced(LocalCluster.BrokerNode master) {
        return ObservabilityTest.sample(ObservabilityTest.get(master.metricsPort(), "/metrics").body(),
                "rocketcluster_ha_write_fenced") == 1.0;
    }

    private static long linesWith(LocalCluster.BrokerNode node, String text) throws Exception {
        try (var lines = Files.lines(node.logFile())) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }

    /** One handshake message as a RocketCluster peer frames it: MAGIC, length, JSON. */
    private static void handshake(DataOutputStream out, String json) throws java.io.IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        out.writeLong(MAGIC);
        out.writeInt(body.length);
        out.write(body);
        out.flush();
    }

    private static long commitLogEnd(LocalCluster.BrokerNode node) throws Exception {
        Path dir = node.storeDir().resolve("commitlog");
        long end = 0;
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                long base = Long.parseLong(f.getFileName().toString());
                long dataEnd = ReplicationTest.dataEnd(f);
                if (dataEnd > 0) {
                    end = base + dataEnd;
                }
            }
        }
        return end;
    }
}
