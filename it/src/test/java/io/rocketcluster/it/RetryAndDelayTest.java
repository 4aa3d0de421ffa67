package io.rocketcluster.it;

import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Scheduled messages, consumer retries through CONSUMER_SEND_MSG_BACK, and dead letters. */
class RetryAndDelayTest {
    /** 18 levels of 1..18 seconds, so level 3 + reconsumeTimes stays short. */
    private static final String LEVELS = "1s 2s 3s 4s 5s 6s 7s 8s 9s 10s 11s 12s 13s 14s 15s 16s 17s 18s";
    private static LocalCluster cluster;
    private static LocalCluster.BrokerNode broker;
    private static final List<Object> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster("retry-delay");
        cluster.startNamesrv();
        broker = cluster.broker("broker-a", 0, Map.of("messageDelayLevel", LEVELS,
                "flushDelayOffsetInterval", "500")).start();
    }

    @AfterAll
    static void stop() throws Exception {
        Clients.shutdownAll(clients);
        cluster.close();
    }

    private static DefaultMQProducer producer() throws Exception {
        DefaultMQProducer p = Clients.producer(cluster.namesrvAddr());
        clients.add(p);
        return p;
    }

    private static DefaultMQPushConsumer consumer(String group, String topic, MessageListenerConcurrently listener)
            throws Exception {
        DefaultMQPushConsumer c = new DefaultMQPushConsumer(group);
        c.setNamesrvAddr(cluster.namesrvAddr());
        c.setInstanceName(Clients.unique("c"));
        c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        c.subscribe(topic, "*");
        c.registerMessageListener(listener);
        clients.add(c);
        return c;
    }

    @Test
    void delayedMessagesArriveInOrderAndNeverEarly() throws Exception {
        String topic = Clients.unique("Delay");
        DefaultMQProducer p = producer();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        for (int i = 0; i < 5; i++) {
            Message m = new Message(topic, "T", "d" + i, ("d" + i).getBytes(StandardCharsets.UTF_8));
            m.setDelayTimeLevel(2);
            long before = System.currentTimeMillis();
            // one queue: RocketMQ orders messages within a queue only, not across the topic's queues
            assertThat(p.send(m, (mqs, msg, arg) -> mqs.get(0), null).getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            sentAt.put("d" + i, before);
        }
        Message immediate = new Message(topic, "T", "now", "now".getBytes(StandardCharsets.UTF_8));
        assertThat(p.send(immediate).getSendStatus()).isEqualTo(SendStatus.SEND_OK);

        Map<String, Long> receivedAt = new ConcurrentHashMap<>();
        List<String> order = new CopyOnWriteArrayList<>();
        DefaultMQPushConsumer c = consumer(Clients.unique("cg"), topic, (msgs, ctx) -> {
            for (MessageExt m : msgs) {
                receivedAt.putIfAbsent(m.getKeys(), System.currentTimeMillis());
                order.add(m.getKeys());
                assertThat(m.getTopic()).isEqualTo(topic);
            }
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        c.setConsumeThreadMin(1);
        c.setConsumeThreadMax(1);
        c.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> receivedAt.size() == 6);
        for (Map.Entry<String, Long> e : sentAt.entrySet()) {
            assertThat(receivedAt.get(e.getKey()) - e.getValue()).as("delay of " + e.getKey()).isGreaterThanOrEqualTo(2000);
        }
        assertThat(receivedAt.get("now")).isLessThan(receivedAt.get("d0"));
        assertThat(order.stream().filter(k -> k.startsWith("d")).toList()).containsExactly("d0", "d1", "d2", "d3", "d4");
    }

    @Test
    void aFailedMessageIsRetriedWithGrowingDelayAndThenDeadLettered() throws Exception {
        String topic = Clients.unique("Retry");
        String group = Clients.unique("cg");
        DefaultMQProducer p = producer();
        assertThat(p.send(new Message(topic, "T", "poison", "poison".getBytes(StandardCharsets.UTF_8)))
                .getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        assertThat(p.send(new Message(topic, "T", "flaky", "flaky".getBytes(StandardCharsets.UTF_8)))
                .getSendStatus()).isEqualTo(SendStatus.SEND_OK);

        Map<String, List<Integer>> attempts = new ConcurrentHashMap<>();
        Map<String, List<Long>> attemptTimes = new ConcurrentHashMap<>();
        DefaultMQPushConsumer c = consumer(group, topic, (msgs, ctx) -> {
            MessageExt m = msgs.get(0);
            assertThat(m.getTopic()).isEqualTo(topic);
            attempts.computeIfAbsent(m.getKeys(), k -> new CopyOnWriteArrayList<>()).add(m.getReconsumeTimes());
            attemptTimes.computeIfAbsent(m.getKeys(), k -> new CopyOnWriteArrayList<>()).add(System.currentTimeMillis());
            if (m.getKeys().equals("flaky") && m.getReconsumeTimes() >= 1) {
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            }
            return ConsumeConcurrentlyStatus.RECONSUME_LATER;
        });
        c.setMaxReconsumeTimes(2);
        c.start();

        await().atMost(Duration.ofSeconds(60)).until(() ->
                attempts.getOrDefault("poison", List.of()).size() >= 3 && attempts.getOrDefault("flaky", List.of()).size() >= 2);
        assertThat(attempts.get("flaky")).containsExactly(0, 1);
        // level 3 + reconsumeTimes: the first retry waits level 3 (3 s here), the second level 4 (4 s)
        List<Long> times = attemptTimes.get("poison");
        assertThat(times.get(1) - times.get(0)).isGreaterThanOrEqualTo(3000);
        assertThat(times.get(2) - times.get(1)).isGreaterThanOrEqualTo(4000);

        // after maxReconsumeTimes the message lands in %DLQ%<group>, readable by tools and clients
        DefaultMQPullConsumer dlqReader = new DefaultMQPullConsumer(Clients.unique("dlq"));
        dlqReader.setNamesrvAddr(cluster.namesrvAddr());
        dlqReader.setInstanceName(Clients.unique("dlq"));
        dlqReader.start();
        clients.add(dlqReader);
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                MessageQueue dlq = new MessageQueue("%DLQ%" + group, "broker-a", 0);
                PullResult r = dlqReader.pull(dlq, "*", 0, 32);
                assertThat(r.getPullStatus()).isEqualTo(PullStatus.FOUND);
                assertThat(r.getMsgFoundList()).extracting(MessageExt::getKeys).containsExactly("poison");
                assertThat(new String(r.getMsgFoundList().get(0).getBody(), StandardCharsets.UTF_8)).isEqualTo("poison");
                assertThat(r.getMsgFoundList().get(0).getProperty("RETRY_TOPIC")).isEqualTo(topic);
            });
        } finally {
            dlqReader.shutdown();
        }
        assertThat(attempts.get("poison")).containsExactly(0, 1, 2);
    }

    @Test
    void delayProgressSurvivesABrokerRestart() throws Exception {
        String topic = Clients.unique("DelayRestart");
        DefaultMQProducer p = producer();
        for (int i = 0; i < 3; i++) {
            Message m = new Message(topic, "T", "early" + i, "e".getBytes(StandardCharsets.UTF_8));
            m.setDelayTimeLevel(1);
            p.send(m);
        }
        Message late = new Message(topic, "T", "late", "l".getBytes(StandardCharsets.UTF_8));
        late.setDelayTimeLevel(6); // 6 s: still scheduled when the broker stops
        assertThat(p.send(late).getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        Map<String, Integer> received = new ConcurrentHashMap<>();
        DefaultMQPushConsumer c = consumer(Clients.unique("cg"), topic, (msgs, ctx) -> {
            msgs.forEach(m -> received.merge(m.getKeys(), 1, Integer::sum));
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        c.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 3);
        broker.stop();
        broker.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> received.containsKey("late"));
        // nothing is delivered twice: the counts stay at one for a while
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                received.values().stream().allMatch(n -> n == 1));
        assertThat(received).containsEntry("late", 1).containsEntry("early0", 1).containsEntry("early1", 1)
                .containsEntry("early2", 1);
    }
}
