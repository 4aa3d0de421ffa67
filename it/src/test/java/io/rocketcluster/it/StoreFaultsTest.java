package io.rocketcluster.it;

import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.impl.MQClientAPIImpl;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.rocketcluster.it.ObservabilityTest.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the official client sees when the store meets a failing disk, topics deleted and files
 * retained under load, and a send-back that cannot be made as durable as the broker's mode.
 */
class StoreFaultsTest {
    private LocalCluster cluster;
    private final List<Object> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        Clients.shutdownAll(clients);
        if (cluster != null) {
            cluster.close();
        }
    }

    /** broker-a on a {@link FaultyDisk} that fails once {@code trigger} exists (this module's classes on its classpath). */
    private LocalCluster.BrokerNode onFaultyDisk(Path trigger) throws Exception {
        return onFaultyDisk(Map.of("flushIntervalCommitLog", "50"), FaultyDisk.TRIGGER, trigger);
    }

    /** broker-a with {@code config}, forcing through a {@link FaultyDisk} given {@code -Doption=path}. */
    private LocalCluster.BrokerNode onFaultyDisk(Map<String, String> config, String option, Path path) throws Exception {
        Path itClasses = Path.of(FaultyDisk.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return cluster.broker("broker-a", 0, config)
                .withJvm(List.of("-Drocketcluster.faultInjection.diskSync=" + FaultyDisk.class.getName(),
                        "-D" + option + "=" + path), itClasses);
    }

    private static MQClientAPIImpl api(DefaultMQProducer p) {
        return p.getDefaultMQProducerImpl().getmQClientFactory().getMQClientAPIImpl();
    }

    private void createTopic(DefaultMQProducer p, String brokerAddr, String topic) throws Exception {
        TopicConfig tc = new TopicConfig(topic, 2, 2, 6);
        api(p).createTopic(brokerAddr, "TBW102", tc, 10_000);
    }

    /**
     * A force fails with an I/O error on broker-a: from then on it never answers SEND_OK, reports
     * not ready, and the producer's sends land on broker-b; after a restart on a good disk every
     * acknowledged message is there.
     */
    @Test
    void aFailedForceStopsAcknowledgementsAndOtherBrokersServe() throws Exception {
        cluster = new LocalCluster("faulty-disk");
        cluster.startNamesrv();
        Path trigger = cluster.work().resolve("disk-fails");
        LocalCluster.BrokerNode a = onFaultyDisk(trigger).start();
        LocalCluster.BrokerNode b = cluster.broker("broker-b", 0, Map.of()).start();
        DefaultMQProducer p = Clients.producer(cluster.namesrvAddr());
        clients.add(p);
        String topic = Clients.unique("FaultyDisk");
        createTopic(p, a.addr(), topic);
        createTopic(p, b.addr(), topic);
        await().atMost(Duration.ofSeconds(30)).until(() -> p.fetchPublishMessageQueues(topic).size() == 4);

        Set<String> acked = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 20; i++) {
            SendResult r = p.send(Clients.message(topic, "T", "before-" + i));
            assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            acked.add("before-" + i);
        }
        Files.writeString(trigger, "io");
        // a write gives broker-a's flusher something to force, which fails
        for (MessageQueue q : p.fetchPublishMessageQueues(topic)) {
            if (q.getBrokerName().equals("broker-a")) {
                try {
                    SendResult r = p.send(Clients.message(topic, "T", "racing"), q);
                    if (r.getSendStatus() == SendStatus.SEND_OK) {
                        acked.add("racing"); // accepted before the failure was seen: must survive a restart
                    }
                } catch (Exception e) {
                    // refused: the failure was already seen
                }
                break;
            }
        }
        await("broker-a reports the I/O failure").atMost(Duration.ofSeconds(10))
                .until(() -> get(a.metricsPort(), "/health/ready").status() == 503);
        assertThat(get(a.metricsPort(), "/health/ready").body()).contains("failed").contains("refuses writes");
        assertThat(ObservabilityTest.sample(get(a.metricsPort(), "/metrics").body(), "rocketcluster_store_writable"))
                .isEqualTo(0.0);

        for (int i = 0; i < 30; i++) {
            SendResult r = p.send(Clients.message(topic, "T", "after-" + i));
            assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            assertThat(r.getMessageQueue().getBrokerName()).as("no SEND_OK from the failed broker").isEqualTo("broker-b");
            acked.add("after-" + i);
        }
        // broker-a itself refuses, with a remark that says why
        MessageQueue onA = p.fetchPublishMessageQueues(topic).stream()
                .filter(q -> q.getBrokerName().equals("broker-a")).findFirst().orElseThrow();
        p.setRetryTimesWhenSendFailed(0);
        Exception refused = null;
        try {
            p.send(Clients.message(topic, "T", "refused"), onA);
        } catch (Exception e) {
            refused = e;
        }
        assertThat(refused).as("a send to broker-a after the failure").isNotNull();
        MQBrokerException cause = refused instanceof MQBrokerException be ? be : (MQBrokerException) refused.getCause();
        assertThat(cause.getResponseCode()).isEqualTo(14);

        // restart broker-a on a good disk: everything acknowledged is consumable
        Files.delete(trigger);
        a.stop();
        a.start();
        Set<String> received = ConcurrentHashMap.newKeySet();
        DefaultMQPushConsumer c = Clients.pushConsumer(cluster.namesrvAddr(), Clients.unique("cg"), topic, "*",
                m -> received.add(m.getKeys()));
        clients.add(c);
        c.start();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(received).containsAll(acked));
    }

    /**
     * SYNC_FLUSH through a power cut: after kill -9 every store file is rebuilt from only what was
     * forced. Every message the client got SEND_OK for is consumed after the restart. The messages
     * are spread over 8 queues so that no queue has the two dirty pages a partial flush needs: the
     * old checkpoint claimed such entries without forcing them, and they were lost.
     */
    @Test
    void syncFlushKeepsEveryAcknowledgedMessageThroughAPowerLoss() throws Exception {
        cluster = new LocalCluster("power-loss");
        cluster.startNamesrv();
        Path shadow = cluster.work().resolve("forced-bytes");
        LocalCluster.BrokerNode a = onFaultyDisk(Map.of("flushDiskType", "SYNC_FLUSH",
                "flushIntervalConsumeQueue", "50", "flushConsumeQueueThoroughInterval", "200"),
                FaultyDisk.SHADOW, shadow).start();
        DefaultMQProducer p = Clients.producer(cluster.namesrvAddr());
        clients.add(p);
        String topic = Clients.unique("PowerLoss");
        api(p).createTopic(a.addr(), "TBW102", new TopicConfig(topic, 8, 8, 6), 10_000);
        await().atMost(Duration.ofSeconds(30)).until(() -> p.fetchPublishMessageQueues(topic).size() == 8);
        Set<String> acked = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 120; i++) {
            SendResult r = p.send(Clients.message(topic, "T", "k" + i));
            assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            acked.add("k" + i);
        }
        Thread.sleep(1000); // several checkpoint rounds
        a.kill9();
        FaultyDisk.powerLoss(a.storeDir(), shadow);
        a.start();
        Set<String> received = ConcurrentHashMap.newKeySet();
        DefaultMQPushConsumer c = Clients.pushConsumer(cluster.namesrvAddr(), Clients.unique("cg"), topic, "*",
                m -> received.add(m.getKeys()));
        clients.add(c);
        c.start();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(received).containsAll(acked));
    }

    /** An Error kills broker-a's flusher: readiness and metrics say so, and writes stop. */
    @Test
    void aDeadStoreThreadShowsInReadinessAndMetrics() throws Exception {
        cluster = new LocalCluster("dead-flusher");
        cluster.startNamesrv();
        Path trigger = cluster.work().resolve("disk-dies");
        LocalCluster.BrokerNode a = onFaultyDisk(trigger).start();
        DefaultMQProducer p = Clients.producer(cluster.namesrvAddr());
        p.setRetryTimesWhenSendFailed(0);
        clients.add(p);
        String topic = Clients.unique("DeadFlusher");
        createTopic(p, a.addr(), topic);
        assertThat(p.send(Clients.message(topic, "T", "k0")).getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        await().atMost(Duration.ofSeconds(30)).until(() -> get(a.metricsPort(), "/health/ready").status() == 200);
        Files.writeString(trigger, "error commitlog"); // only the commitlog flusher meets the Error
        try {
            p.send(Clients.message(topic, "T", "k1"));
        } catch (Exception e) {
            // either answer is fine: it raced the flusher's death
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> get(a.metricsPort(), "/health/ready").status() == 503);
        assertThat(get(a.metricsPort(), "/health/ready").body()).contains("store-commitlog-flush");
        assertThat(ObservabilityTest.sample(get(a.metricsPort(), "/metrics").body(), "rocketcluster_store_threads_dead"))
                .isEqualTo(1.0);
        assertThat(a.isAlive()).as("the JVM itself keeps running and answers").isTrue();
        Exception refused = null;
        try {
            p.send(Clients.message(topic, "T", "k2"));
        } catch (Exception e) {
            refused = e;
        }
        assertThat(refused).isNotNull();
    }

    /**
     * A SYNC_MASTER without a slave cannot make a retry copy as durable as a send, so send-back is
     * refused (the client then keeps the message and retries) instead of acknowledged.
     */
    @Test
    void sendBackFollowsTheReplicationMode() throws Exception {
        cluster = new LocalCluster("sendback-sync");
        cluster.startNamesrv();
        LocalCluster.BrokerNode a = cluster.broker("broker-a", 0, Map.of("brokerRole", "SYNC_MASTER")).start();
        DefaultMQProducer p = Clients.producer(cluster.namesrvAddr());
        p.setRetryTimesWhenSendFailed(0);
        clients.add(p);
        String topic = Clients.unique("SendBackSync");
        createTopic(p, a.addr(), topic);
        await().atMost(Duration.ofSeconds(30)).until(() -> !p.fetchPublishMessageQueues(topic).isEmpty());
        SendResult sent = p.send(Clients.message(topic, "T", "k0"));
        assertThat(sent.getSendStatus()).isEqualTo(SendStatus.SLAVE_NOT_AVAILABLE); // stored, not replicated

        DefaultMQPullConsumer pull = Clients.pullConsumer(cluster.namesrvAddr());
        clients.add(pull);
        PullResult r = pull.pull(sent.getMessageQueue(), "*", 0, 32);
        assertThat(r.getPullStatus()).isEqualTo(PullStatus.FOUND);
        MessageExt m = r.getMsgFoundList().get(0);
        String group = Clients.unique("cg");
        Throwable refusal = sendBack(api(p), a.addr(), "broker-a", m, group);
        assertThat(refusal).as("send-back on a SYNC_MASTER without a slave").isInstanceOf(MQBrokerException.class);
        assertThat(((MQBrokerException) refusal).getResponseCode()).isEqualTo(1);
        assertThat(refusal.getMessage()).contains("SLAVE_NOT_AVAILABLE");
    }

    /** CONSUMER_SEND_MSG_BACK through the client's API (its parameters differ between 4.7 and 4.9). */
    private static Throwable sendBack(MQClientAPIImpl api, String addr, String brokerName, MessageExt m, String group)
            throws Exception {
        for (Method method : MQClientAPIImpl.class.getMethods()) {
            if (!method.getName().equals("consumerSendMessageBack")) {
                continue;
            }
            Object[] args = method.getParameterCount() == 7
                    ? new Object[]{addr, brokerName, m, group, 0, 10_000L, 16}
                    : new Object[]{addr, m, group, 0, 10_000L, 16};
            try {
                method.invoke(api, args);
                return null;
            } catch (InvocationTargetException e) {
                return e.getCause();
            }
        }
        throw new IllegalStateException("no consumerSendMessageBack in this client");
    }

    /**
     * Topics deleted and commitlog files retained (destroyMapedFileIntervalForcibly=0) while producers
     * and consumers run: the broker keeps running, no send on the kept topic fails, and its consumer
     * gets every message sent after the storm that retention has not deleted.
     */
    @Test
    void deletingTopicsAndRetentionUnderLoadHurtNobodyElse() throws Exception {
        cluster = new LocalCluster("delete-under-load");
        cluster.startNamesrv();
        StringBuilder allHours = new StringBuilder();
        for (int h = 0; h < 24; h++) {
            allHours.append(h == 0 ? "" : ";").append(String.format("%02d", h));
        }
        LocalCluster.BrokerNode a = cluster.broker("broker-a", 0, Map.of(
                "mappedFileSizeCommitLog", String.valueOf(256 * 1024), "maxMessageSize", "65536",
                "mappedFileSizeConsumeQueue", String.valueOf(200 * 20), "fileReservedTime", "0",
                "deleteWhen", allHours.toString(), "cleanResourceInterval", "100",
                "destroyMapedFileIntervalForcibly", "0")).start();
        DefaultMQProducer p = Clients.producer(cluster.namesrvAddr());
        clients.add(p);
        String keep = Clients.unique("Keep");
        createTopic(p, a.addr(), keep);
        Set<String> received = ConcurrentHashMap.newKeySet();
        DefaultMQPushConsumer c = Clients.pushConsumer(cluster.namesrvAddr(), Clients.unique("cg"), keep, "*",
                m -> received.add(m.getKeys()));
        clients.add(c);
        c.start();
        DefaultMQPullConsumer pull = Clients.pullConsumer(cluster.namesrvAddr());
        clients.add(pull);

        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicInteger deleted = new AtomicInteger();
        byte[] payload = new byte[2048];
        Thread producer = new Thread(() -> {
            int i = 0;
            while (!stop.get()) {
                try {
                    SendResult r = p.send(new Message(keep, "T", "storm-" + i++, payload));
                    if (r.getSendStatus() != SendStatus.SEND_OK) {
                        failures.add(new AssertionError("send " + i + ": " + r.getSendStatus()));
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }
        });
        Thread deleter = new Thread(() -> {
            while (!stop.get()) {
                String doomed = Clients.unique("Doomed");
                try {
                    createTopic(p, a.addr(), doomed);
                    for (int i = 0; i < 20; i++) {
                        p.send(new Message(doomed, "T", "d" + i, payload), new MessageQueue(doomed, "broker-a", i % 2));
                    }
                    for (int q = 0; q < 2; q++) {
                        pull.pull(new MessageQueue(doomed, "broker-a", q), "*", 0, 32);
                    }
                    api(p).deleteTopicInBroker(a.addr(), doomed, 10_000);
                    deleted.incrementAndGet();
                } catch (Exception e) {
                    if (!stop.get()) {
                        failures.add(e);
                    }
                }
            }
        });
        producer.start();
        deleter.start();
        Thread.sleep(8000);
        stop.set(true);
        producer.join(30_000);
        deleter.join(30_000);
        assertThat(failures).isEmpty();
        assertThat(a.isAlive()).as("the broker survived").isTrue();
        assertThat(deleted.get()).isGreaterThan(5);
        String[] files = a.storeDir().resolve("commitlog").toFile().list();
        assertThat(files).as("retention ran").isNotNull();
        Map<String, SendResult> after = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            SendResult r = p.send(new Message(keep, "T", "after-" + i, payload));
            assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            after.put("after-" + i, r);
        }
        // retention (fileReservedTime=0) may delete a file the consumer has not read yet: that is the
        // policy, not a loss. Every message still retained must be received, and the newest always are.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (Map.Entry<String, SendResult> e : after.entrySet()) {
                if (e.getValue().getQueueOffset() >= pull.minOffset(e.getValue().getMessageQueue())) {
                    assertThat(received).contains(e.getKey());
                }
            }
            assertThat(received).contains("after-49");
        });
        assertThat(get(a.metricsPort(), "/health/ready").status()).isEqualTo(200);
    }
}
