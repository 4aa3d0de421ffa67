package io.rocketcluster.it;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerOrderly;
import org.apache.rocketmq.client.impl.consumer.ProcessQueue;
import org.apache.rocketmq.client.impl.factory.MQClientInstance;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.MessageQueueSelector;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.common.protocol.body.LockBatchRequestBody;
import org.apache.rocketmq.common.protocol.heartbeat.MessageModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Push consumers against one broker: tag subscriptions, two clustering consumers sharing a group,
 * broadcasting, orderly consumption with queue locks, and committed offsets across a consumer restart.
 */
class PushConsumerTest {
    private static final String WARMUP = "warmup";
    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(40);

    private static LocalCluster cluster;
    private static DefaultMQProducer producer;
    private static final List<Object> consumers = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster("push-consumer");
        cluster.startNamesrv();
        cluster.broker("broker-a", 0, Map.of()).start();
        producer = Clients.producer(cluster.namesrvAddr());
    }

    @AfterAll
    static void stop() throws Exception {
        Clients.shutdownAll(consumers);
        Clients.shutdownAll(List.of(producer));
        cluster.close();
    }

    @Test
    void tagSubscriptionDeliversExactlyTheSubscribedTags() throws Exception {
        String topic = Clients.unique("Tags");
        send(Clients.message(topic, "TagC", "C-0"));
        List<MessageQueue> mqs = Clients.awaitRoute(producer, topic, 4);
        // TagC first: every queue then ends with a subscribed message, so the consumer's offsets reach
        // the queues' max offsets exactly when it has consumed everything it will ever get
        for (int i = 1; i < 12; i++) {
            send(Clients.message(topic, "TagC", "C-" + i), mqs.get(i % mqs.size()));
        }
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 24; i++) {
            String tag = i % 2 == 0 ? "TagA" : "TagB";
            String key = tag + "-" + i;
            send(Clients.message(topic, tag, key), mqs.get(i % mqs.size()));
            expected.add(key);
        }

        Map<String, Integer> received = new ConcurrentHashMap<>();
        Set<String> tags = ConcurrentHashMap.newKeySet();
        DefaultMQPushConsumer consumer = Clients.pushConsumer(cluster.namesrvAddr(), Clients.unique("cg"), topic,
                "TagA || TagB", m -> {
                    received.merge(m.getKeys(), 1, Integer::sum);
                    tags.add(m.getTags());
                });
        consumers.add(consumer);
        consumer.start();

        await().atMost(CONSUME_TIMEOUT).until(() -> received.keySet().containsAll(expected)
                && Clients.caughtUp(consumer, producer, mqs));
        assertThat(tags).containsExactlyInAnyOrder("TagA", "TagB");
        assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(received).allSatisfy((key, times) -> assertThat(times).as(key).isEqualTo(1));
    }

    @Test
    void twoClusteringConsumersOfOneGroupSplitTheQueues() throws Exception {
        String topic = Clients.unique("Clustering");
        String group = Clients.unique("cg");
        send(Clients.message(topic, "Warmup", WARMUP)); // creates the topic before the group forms
        List<MessageQueue> mqs = Clients.awaitRoute(producer, topic, 4);

        Map<String, Integer> got1 = new ConcurrentHashMap<>();
        Map<String, Integer> got2 = new ConcurrentHashMap<>();
        DefaultMQPushConsumer c1 = Clients.pushConsumer(cluster.namesrvAddr(), group, topic, "*",
                m -> got1.merge(m.getKeys(), 1, Integer::sum));
        DefaultMQPushConsumer c2 = Clients.pushConsumer(cluster.namesrvAddr(), group, topic, "*",
                m -> got2.merge(m.getKeys(), 1, Integer::sum));
        consumers.add(c1);
        consumers.add(c2);
        c1.start();
        c2.start();

        // the broker tells both members of the change; they rebalance into disjoint halves
        await("rebalance into disjoint shares").atMost(CONSUME_TIMEOUT).until(() -> {
            Set<MessageQueue> a = assigned(c1, topic);
            Set<MessageQueue> b = assigned(c2, topic);
            Set<MessageQueue> union = new HashSet<>(a);
            union.addAll(b);
            return !a.isEmpty() && !b.isEmpty() && Collections.disjoint(a, b) && union.equals(new HashSet<>(mqs));
        });
        Set<MessageQueue> share1 = assigned(c1, topic);
        Set<MessageQueue> share2 = assigned(c2, topic);

        Map<MessageQueue, List<String>> sentTo = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            MessageQueue mq = mqs.get(i % mqs.size());
            String key = "split-" + i;
            send(Clients.message(topic, "TagS", key), mq);
            sentTo.computeIfAbsent(mq, q -> new ArrayList<>()).add(key);
        }
        Set<String> want1 = share1.stream().flatMap(q -> sentTo.get(q).stream()).collect(Collectors.toSet());
        Set<String> want2 = share2.stream().flatMap(q -> sentTo.get(q).stream()).collect(Collectors.toSet());

        await().atMost(CONSUME_TIMEOUT).until(() -> dataKeys(got1).containsAll(want1) && dataKeys(got2).containsAll(want2)
                && Clients.caughtUp(c1, producer, share1) && Clients.caughtUp(c2, producer, share2));
        assertThat(assigned(c1, topic)).isEqualTo(share1);
        assertThat(assigned(c2, topic)).isEqualTo(share2);
        assertThat(dataKeys(got1)).isNotEmpty().containsExactlyInAnyOrderElementsOf(want1);
        assertThat(dataKeys(got2)).isNotEmpty().containsExactlyInAnyOrderElementsOf(want2);
        for (Map<String, Integer> got : List.of(got1, got2)) {
            got.forEach((key, times) -> {
                if (!key.equals(WARMUP)) {
                    assertThat(times).as("deliveries of " + key).isEqualTo(1);
                }
            });
        }
    }

    @Test
    void broadcastingConsumersEachReceiveEveryMessage() throws Exception {
        String topic = Clients.unique("Broadcast");
        String group = Clients.unique("bg");
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            send(Clients.message(topic, "TagB", "bc-" + i));
            sent.add("bc-" + i);
        }
        List<MessageQueue> mqs = Clients.awaitRoute(producer, topic, 4);

        List<Map<String, Integer>> received = List.of(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        List<DefaultMQPushConsumer> group2 = new ArrayList<>();
        for (Map<String, Integer> sink : received) {
            DefaultMQPushConsumer c = Clients.pushConsumer(cluster.namesrvAddr(), group, topic, "*",
                    m -> sink.merge(m.getKeys(), 1, Integer::sum));
            c.setMessageModel(MessageModel.BROADCASTING);
            consumers.add(c);
            group2.add(c);
            c.start();
        }

        await().atMost(CONSUME_TIMEOUT).until(() -> received.get(0).keySet().containsAll(sent)
                && received.get(1).keySet().containsAll(sent)
                && Clients.caughtUp(group2.get(0), producer, mqs) && Clients.caughtUp(group2.get(1), producer, mqs));
        for (Map<String, Integer> got : received) {
            assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(got).allSatisfy((key, times) -> assertThat(times).as(key).isEqualTo(1));
        }
    }

    @Test
    void orderlyListenerSeesEachQueueInOffsetOrder() throws Exception {
        String topic = Clients.unique("Orderly");
        int orderKeys = 8;
        int perKey = 15;
        MessageQueueSelector byKey = (mqs, msg, arg) -> mqs.get((Integer) arg % mqs.size());
        Map<Integer, Integer> queueOfKey = new HashMap<>();
        for (int seq = 0; seq < perKey; seq++) {
            for (int k = 0; k < orderKeys; k++) {
                Message m = Clients.message(topic, "TagO", "order-" + k + "-" + seq);
                m.putUserProperty("orderKey", String.valueOf(k));
                m.putUserProperty("seq", String.valueOf(seq));
                SendResult r = producer.send(m, byKey, k);
                assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
                Integer before = queueOfKey.put(k, r.getMessageQueue().getQueueId());
                assertThat(before).as("queue of key " + k).isIn(null, r.getMessageQueue().getQueueId());
            }
        }
        List<MessageQueue> mqs = Clients.awaitRoute(producer, topic, 4);

        Map<Integer, List<Long>> offsetsByQueue = new ConcurrentHashMap<>();
        Map<Integer, List<Integer>> seqsByKey = new ConcurrentHashMap<>();
        Map<Integer, Set<Integer>> queuesByKey = new ConcurrentHashMap<>();
        String group = Clients.unique("og");
        DefaultMQPushConsumer c = new DefaultMQPushConsumer(group);
        c.setNamesrvAddr(cluster.namesrvAddr());
        c.setInstanceName(Clients.unique("oc"));
        c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        c.subscribe(topic, "*");
        c.registerMessageListener((MessageListenerOrderly) (msgs, ctx) -> {
            for (MessageExt m : msgs) {
                int key = Integer.parseInt(m.getUserProperty("orderKey"));
                offsetsByQueue.computeIfAbsent(m.getQueueId(), q -> new CopyOnWriteArrayList<>()).add(m.getQueueOffset());
                seqsByKey.computeIfAbsent(key, q -> new CopyOnWriteArrayList<>())
                        .add(Integer.parseInt(m.getUserProperty("seq")));
                queuesByKey.computeIfAbsent(key, q -> ConcurrentHashMap.newKeySet()).add(m.getQueueId());
            }
            return ConsumeOrderlyStatus.SUCCESS;
        });
        consumers.add(c);
        c.start();

        await().atMost(CONSUME_TIMEOUT).until(() -> offsetsByQueue.values().stream().mapToInt(List::size).sum()
                >= orderKeys * perKey && Clients.caughtUp(c, producer, mqs));

        // the orderly service only consumes queues the broker locked for it
        Map<MessageQueue, ProcessQueue> table = c.getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable();
        assertThat(assigned(c, topic)).containsExactlyInAnyOrderElementsOf(mqs);
        for (MessageQueue mq : mqs) {
            assertThat(table.get(mq).isLocked()).as("lock of " + mq).isTrue();
        }
        for (MessageQueue mq : mqs) {
            long max = producer.maxOffset(mq);
            assertThat(offsetsByQueue.getOrDefault(mq.getQueueId(), List.of())).as("offsets consumed from " + mq)
                    .containsExactlyElementsOf(LongStream.range(0, max).boxed().toList());
        }
        for (int k = 0; k < orderKeys; k++) {
            assertThat(seqsByKey.get(k)).as("sequence of key " + k)
                    .containsExactlyElementsOf(IntStream.range(0, perKey).boxed().toList());
            assertThat(queuesByKey.get(k)).containsExactly(queueOfKey.get(k));
        }

        // the broker's lock table (docs/remoting.md §10.2): another client of the group is refused the
        // queues, the holder's own request refreshes them, and once the consumer has shut down (it
        // unlocks its queues) they are free
        MQClientInstance other = producer.getDefaultMQProducerImpl().getmQClientFactory();
        String brokerAddr = other.findBrokerAddressInPublish(mqs.get(0).getBrokerName());
        String holder = c.getDefaultMQPushConsumerImpl().getmQClientFactory().getClientId();
        assertThat(other.getClientId()).isNotEqualTo(holder);
        assertThat(other.getMQClientAPIImpl().lockBatchMQ(brokerAddr, lockRequest(group, other.getClientId(), mqs), 3000))
                .isEmpty();
        assertThat(other.getMQClientAPIImpl().lockBatchMQ(brokerAddr, lockRequest(group, holder, mqs), 3000))
                .containsExactlyInAnyOrderElementsOf(mqs);
        c.shutdown();
        consumers.remove(c);
        assertThat(other.getMQClientAPIImpl().lockBatchMQ(brokerAddr, lockRequest(group, other.getClientId(), mqs), 3000))
                .containsExactlyInAnyOrderElementsOf(mqs);
    }

    @Test
    void committedOffsetsSurviveAConsumerRestart() throws Exception {
        String topic = Clients.unique("Offsets");
        String group = Clients.unique("rg");
        Set<String> first = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            send(Clients.message(topic, "TagR", "first-" + i));
            first.add("first-" + i);
        }
        List<MessageQueue> mqs = Clients.awaitRoute(producer, topic, 4);

        Map<String, Integer> got1 = new ConcurrentHashMap<>();
        DefaultMQPushConsumer c1 = Clients.pushConsumer(cluster.namesrvAddr(), group, topic, "*",
                m -> got1.merge(m.getKeys(), 1, Integer::sum));
        consumers.add(c1);
        c1.start();
        await().atMost(CONSUME_TIMEOUT).until(() -> got1.keySet().containsAll(first) && Clients.caughtUp(c1, producer, mqs));
        assertThat(got1.keySet()).containsExactlyInAnyOrderElementsOf(first);
        c1.shutdown(); // persists its offsets to the broker and leaves the group
        consumers.remove(c1);

        Set<String> second = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            send(Clients.message(topic, "TagR", "second-" + i));
            second.add("second-" + i);
        }
        Map<String, Integer> got2 = new ConcurrentHashMap<>();
        // CONSUME_FROM_FIRST_OFFSET would replay everything if the group's offsets had been lost
        DefaultMQPushConsumer c2 = Clients.pushConsumer(cluster.namesrvAddr(), group, topic, "*",
                m -> got2.merge(m.getKeys(), 1, Integer::sum));
        consumers.add(c2);
        c2.start();
        await().atMost(CONSUME_TIMEOUT).until(() -> got2.keySet().containsAll(second) && Clients.caughtUp(c2, producer, mqs));
        assertThat(got2.keySet()).containsExactlyInAnyOrderElementsOf(second);
        assertThat(got2).allSatisfy((key, times) -> assertThat(times).as(key).isEqualTo(1));
    }

    private static Set<MessageQueue> assigned(DefaultMQPushConsumer c, String topic) {
        Map<MessageQueue, ProcessQueue> table = c.getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable();
        return table.entrySet().stream()
                .filter(e -> e.getKey().getTopic().equals(topic) && !e.getValue().isDropped())
                .map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    private static LockBatchRequestBody lockRequest(String group, String clientId, List<MessageQueue> mqs) {
        LockBatchRequestBody body = new LockBatchRequestBody();
        body.setConsumerGroup(group);
        body.setClientId(clientId);
        body.setMqSet(new HashSet<>(mqs));
        return body;
    }

    private static Set<String> dataKeys(Map<String, Integer> got) {
        return got.keySet().stream().filter(k -> !k.equals(WARMUP)).collect(Collectors.toSet());
    }

    private static void send(Message m) throws Exception {
        assertThat(producer.send(m).getSendStatus()).isEqualTo(SendStatus.SEND_OK);
    }

    private static void send(Message m, MessageQueue mq) throws Exception {
        SendResult r = producer.send(m, mq);
        assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        assertThat(r.getMessageQueue()).isEqualTo(mq);
    }
}
