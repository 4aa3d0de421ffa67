package io.rocketcluster.it;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Durability across broker restarts on the same store and port: a clean stop (SIGTERM), and a
 * kill -9 of a SYNC_FLUSH broker in the middle of a send load that goes on after the restart. Every
 * message whose send was acknowledged must be consumable afterwards, and committed consumer offsets
 * survive the clean restart. Each test has its own cluster because it restarts the broker.
 */
class BrokerRestartTest {
    /** Small store files, so that the data spans several commitlog and consume-queue files. */
    private static final Map<String, String> SMALL_FILES = Map.of(
            "mappedFileSizeCommitLog", String.valueOf(128 * 1024),
            "maxMessageSize", String.valueOf(64 * 1024),
            "mappedFileSizeConsumeQueue", String.valueOf(64 * 20));

    private LocalCluster cluster;
    private final List<Object> clients = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        Clients.shutdownAll(clients);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void acknowledgedMessagesAndCommittedOffsetsSurviveACleanRestart() throws Exception {
        cluster = new LocalCluster("restart-clean");
        cluster.startNamesrv();
        LocalCluster.BrokerNode broker = cluster.broker("broker-a", 0, SMALL_FILES).start();
        DefaultMQProducer producer = Clients.producer(cluster.namesrvAddr());
        clients.add(producer);
        String topic = Clients.unique("Restart");

        // ~2 KiB bodies: 150 of them span several commitlog and consume-queue files
        Set<String> before = new HashSet<>();
        for (int i = 0; i < 150; i++) {
            SendResult r = producer.send(message(topic, "before-" + i, 2000));
            assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            before.add("before-" + i);
        }
        List<MessageQueue> mqs = Clients.awaitRoute(producer, topic, 4);
        Map<MessageQueue, Long> maxBefore = new HashMap<>();
        // the consume queues catch up with the acknowledged sends a moment after the last one
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (MessageQueue mq : mqs) {
                maxBefore.put(mq, producer.maxOffset(mq));
            }
            return maxBefore.values().stream().mapToLong(Long::longValue).sum() == before.size();
        });

        // group G consumes everything before the restart and commits its offsets
        String group = Clients.unique("cg");
        Received g1 = new Received();
        DefaultMQPushConsumer c1 = Clients.pushConsumer(cluster.namesrvAddr(), group, topic, "*", g1::add);
        clients.add(c1);
        c1.start();
        await().atMost(Duration.ofSeconds(40)).until(() -> g1.keys().containsAll(before) && Clients.caughtUp(c1, producer, mqs));
        c1.shutdown(); // sends its offsets to the broker, which writes them to consumerOffset.json on stop
        clients.remove(c1);

        broker.stop();
        broker.start();

        Clients.awaitRoute(producer, topic, 4);
        for (MessageQueue mq : mqs) {
            assertThat(producer.maxOffset(mq)).as("max offset of " + mq + " after the restart").isEqualTo(maxBefore.get(mq));
        }
        Set<String> after = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            SendResult r = producer.send(message(topic, "after-" + i, 2000));
            assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            // queue offsets continue after the recovered ones instead of overwriting them
            assertThat(r.getQueueOffset()).isGreaterThanOrEqualTo(maxBefore.get(r.getMessageQueue()));
            after.add("after-" + i);
        }

        // G resumes from its committed offsets; a new group reads everything
        Received g2 = new Received();
        DefaultMQPushConsumer c2 = Clients.pushConsumer(cluster.namesrvAddr(), group, topic, "*", g2::add);
        Received fresh = new Received();
        DefaultMQPushConsumer c3 = Clients.pushConsumer(cluster.namesrvAddr(), Clients.unique("cg"), topic, "*", fresh::add);
        clients.add(c2);
        clients.add(c3);
        c2.start();
        c3.start();
        Set<String> all = new HashSet<>(before);
        all.addAll(after);
        await().atMost(Duration.ofSeconds(40)).until(() -> g2.keys().containsAll(after) && fresh.keys().containsAll(all)
                && Clients.caughtUp(c2, producer, mqs) && Clients.caughtUp(c3, producer, mqs));
        assertThat(g2.keys()).containsExactlyInAnyOrderElementsOf(after);
        assertThat(fresh.keys()).containsExactlyInAnyOrderElementsOf(all);
        for (Received r : List.of(g1, g2, fresh)) {
            assertThat(r.duplicates()).isEmpty();
            assertThat(r.corrupt()).isEmpty();
        }
    }

    @Test
    void syncFlushKeepsEveryAcknowledgedMessageThroughAKill9() throws Exception {
        cluster = new LocalCluster("restart-kill9");
        cluster.startNamesrv();
        Map<String, String> conf = new HashMap<>(SMALL_FILES);
        conf.put("flushDiskType", "SYNC_FLUSH");
        LocalCluster.BrokerNode broker = cluster.broker("broker-a", 0, conf).start();
        DefaultMQProducer producer = Clients.producer(cluster.namesrvAddr());
        producer.setSendMsgTimeout(3000);
        clients.add(producer);
        String topic = Clients.unique("Crash");

        Set<String> acked = ConcurrentHashMap.newKeySet();
        Set<String> attempted = ConcurrentHashMap.newKeySet();
        assertThat(producer.send(message(topic, "warm", 600)).getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        acked.add("warm");
        attempted.add("warm");
        List<MessageQueue> mqs = Clients.awaitRoute(producer, topic, 4);

        int threads = 4;
        AtomicBoolean load = new AtomicBoolean(true);
        AtomicInteger failures = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> senders = new ArrayList<>();
        int[] atKill = new int[1];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            senders.add(pool.submit(() -> {
                for (int i = 0; load.get(); i++) {
                    String key = "k-" + thread + "-" + i;
                    attempted.add(key);
                    try {
                        if (producer.send(message(topic, key, 600)).getSendStatus() == SendStatus.SEND_OK) {
                            acked.add(key);
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        // the broker is down or restarting: back off instead of spinning on refused connections
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                    }
                }
                return null;
            }));
        }
        try {
            // kill in the middle of the load, once a good number of sends have been acknowledged
            await().atMost(Duration.ofSeconds(10)).until(() -> acked.size() >= 400);
            broker.kill9();
            atKill[0] = acked.size();
            broker.start();
            // the load goes on against the recovered broker for a while
            await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= atKill[0] + 400);
        } finally {
            load.set(false);
            for (Future<?> f : senders) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
        }
        assertThat(Files.readString(broker.logFile())).as("the restarted broker recovered a crashed store")
                .contains("after a crash");

        Received received = new Received();
        DefaultMQPushConsumer consumer = Clients.pushConsumer(cluster.namesrvAddr(), Clients.unique("cg"), topic, "*",
                received::add);
        clients.add(consumer);
        consumer.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> received.keys().containsAll(acked)
                && Clients.caughtUp(consumer, producer, mqs));
        // sends that failed or timed out may or may not have been stored; nothing else may appear
        assertThat(attempted).containsAll(received.keys());
        assertThat(received.keys()).containsAll(acked);
        assertThat(received.corrupt()).isEmpty();
        System.out.printf("kill -9 under SYNC_FLUSH: %d acknowledged (%d before the kill), %d failed sends, %d consumed%n",
                acked.size(), atKill[0], failures.get(), received.keys().size());
    }

    /** A message whose body is its key padded to {@code size} bytes, so that consumers can verify it. */
    private static Message message(String topic, String key, int size) {
        return new Message(topic, "TagR", key, body(key, size));
    }

    private static byte[] body(String key, int size) {
        StringBuilder b = new StringBuilder(key).append(':');
        while (b.length() < size) {
            b.append((char) ('a' + b.length() % 26));
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** What one consumer got: keys, redeliveries and bodies that do not match their key. */
    private static final class Received {
        private final Map<String, Integer> times = new ConcurrentHashMap<>();
        private final Set<String> corrupt = ConcurrentHashMap.newKeySet();

        void add(MessageExt m) {
            times.merge(m.getKeys(), 1, Integer::sum);
            if (!Arrays.equals(m.getBody(), body(m.getKeys(), m.getBody().length))) {
                corrupt.add(m.getKeys());
            }
        }

        Set<String> keys() {
            return times.keySet();
        }

        Set<String> duplicates() {
            return times.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).collect(Collectors.toSet());
        }

        Set<String> corrupt() {
            return corrupt;
        }
    }
}
