package io.rocketcluster.it;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Retention and the disk guard seen by the official client. */
class RetentionTest {
    private LocalCluster cluster;
    private Path mountPoint;
    private final List<Object> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        Clients.shutdownAll(clients);
        if (cluster != null) {
            cluster.close();
        }
        if (mountPoint != null) {
            run("umount", "-l", mountPoint.toString());
            Files.deleteIfExists(mountPoint);
        }
    }

    private static boolean run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    /** Random bytes, so the client's compression of bodies over 4 KiB cannot shrink them. */
    private static byte[] body(int size, String key) {
        byte[] b = new byte[size];
        new java.util.Random(key.hashCode()).nextBytes(b);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(k, 0, b, 0, k.length);
        return b;
    }

    /** Expired commitlog files go; a consumer whose position was deleted moves forward, not stuck. */
    @Test
    void aConsumerBehindDeletedDataIsMovedForward() throws Exception {
        cluster = new LocalCluster("retention");
        cluster.startNamesrv();
        // every non-active file is expired (fileReservedTime=0) and every hour is a delete hour
        StringBuilder allHours = new StringBuilder();
        for (int h = 0; h < 24; h++) {
            allHours.append(h == 0 ? "" : ";").append(String.format("%02d", h));
        }
        cluster.broker("broker-a", 0, Map.of("mappedFileSizeCommitLog", String.valueOf(1024 * 1024),
                "maxMessageSize", "65536", "fileReservedTime", "0", "deleteWhen", allHours.toString(),
                "cleanResourceInterval", "500", "destroyMapedFileIntervalForcibly", "1000")).start();
        DefaultMQProducer p = Clients.producer(cluster.namesrvAddr());
        clients.add(p);
        String topic = Clients.unique("Retention");
        for (int i = 0; i < 100; i++) { // about 3 MiB: three commitlog files
            SendResult r = p.send(new Message(topic, "T", "k" + i, body(30 * 1024, "k" + i)));
            assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        }
        // retention settles: only the file being written is left
        Path commitLogDir = cluster.work().resolve("broker-a-0").resolve("store").resolve("commitlog");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String[] files = commitLogDir.toFile().list();
            return files != null && files.length == 1;
        });
        for (int i = 0; i < 20; i++) { // these stay: the active file is never deleted
            assertThat(p.send(new Message(topic, "T", "n" + i, body(1024, "n" + i))).getSendStatus())
                    .isEqualTo(SendStatus.SEND_OK);
        }
        List<MessageQueue> queues = p.fetchPublishMessageQueues(topic);
        org.apache.rocketmq.client.consumer.DefaultMQPullConsumer admin = Clients.pullConsumer(cluster.namesrvAddr());
        clients.add(admin);
        long remaining = 0;
        long deleted = 0;
        for (MessageQueue q : queues) {
            remaining += admin.maxOffset(q) - admin.minOffset(q);
            deleted += admin.minOffset(q);
        }
        assertThat(deleted).as("messages whose files were deleted").isPositive();
        assertThat(remaining).isGreaterThanOrEqualTo(20).isLessThan(120);

        Set<String> received = ConcurrentHashMap.newKeySet();
        DefaultMQPushConsumer c = Clients.pushConsumer(cluster.namesrvAddr(), Clients.unique("cg"), topic, "*",
                m -> received.add(m.getKeys()));
        clients.add(c);
        c.start();
        long expected = remaining;
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(received).as("received of " + expected + " retained").hasSize((int) expected));
        // it got exactly the retained, newest messages
        assertThat(received).contains("n0", "n19").doesNotContain("k0");
    }

    /**
     * A really full disk (a small tmpfs as the store): sends are refused with a clear error, nothing
     * acknowledged is damaged, and sends resume once space returns.
     */
    @Test
    void aFullDiskRefusesSendsAndRecovers() throws Exception {
        mountPoint = Files.createTempDirectory("rc-small-disk");
        boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mountPoint.toString());
        if (!mounted) {
            Files.deleteIfExists(mountPoint);
            mountPoint = null;
        }
        Assumptions.assumeTrue(mounted, "needs root to mount a 16 MiB tmpfs as a full disk (CI runs as root)");
        // 6 of 16 MiB: sends are refused once the store passes ~2 MiB, and whatever it wrote past that
        // before the broker's next disk measurement, deleting the ballast takes the disk below 50% again
        Path ballast = mountPoint.resolve("ballast");
        Files.write(ballast, new byte[6 * 1024 * 1024]);

        cluster = new LocalCluster("disk-full");
        cluster.startNamesrv();
        LocalCluster.BrokerNode b = cluster.broker("broker-a", 0, Map.of(
                "storePathRootDir", mountPoint.resolve("store").toString(),
                "mappedFileSizeCommitLog", String.valueOf(2 * 1024 * 1024), "maxMessageSize", "65536",
                "mappedFileSizeConsumeQueue", String.valueOf(1000 * 20), "diskMaxUsedSpaceRatio", "50",
                "cleanResourceInterval", "500",
                // a small message index: the default one's slot pages would take ~1 MiB of this 16 MiB disk
                "maxHashSlotNum", "1000", "maxIndexNum", "4000")).start();
        DefaultMQProducer p = Clients.producer(cluster.namesrvAddr());
        p.setRetryTimesWhenSendFailed(0);
        clients.add(p);
        String topic = Clients.unique("DiskFull");
        List<String> acked = new ArrayList<>();
        MQBrokerException refused = null;
        for (int i = 0; i < 400 && refused == null; i++) {
            try {
                SendResult r = p.send(new Message(topic, "T", "k" + i, body(32 * 1024, "k" + i)));
                assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
                acked.add("k" + i);
            } catch (MQBrokerException e) {
                refused = e;
            } catch (MQClientException e) { // 14 is a retried code: the client wraps the broker's answer
                refused = (MQBrokerException) e.getCause();
            }
        }
        assertThat(refused).as("the broker refuses sends once the disk is over 50%").isNotNull();
        assertThat(refused.getResponseCode()).isEqualTo(14);
        assertThat(refused.getErrorMessage()).contains("disk full").contains("diskMaxUsedSpaceRatio 50%");
        assertThat(acked).hasSizeGreaterThan(10);

        Files.delete(ballast); // space returns
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try {
                return p.send(new Message(topic, "T", "after", body(1024, "after"))).getSendStatus() == SendStatus.SEND_OK;
            } catch (MQBrokerException | MQClientException e) {
                return false;
            }
        });
        acked.add("after");

        // nothing acknowledged was damaged: a restarted broker serves every one of them
        b.stop();
        b.start();
        Set<String> received = ConcurrentHashMap.newKeySet();
        DefaultMQPushConsumer c = Clients.pushConsumer(cluster.namesrvAddr(), Clients.unique("cg"), topic, "*",
                m -> received.add(m.getKeys()));
        clients.add(c);
        c.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> received.containsAll(acked));
    }
}
