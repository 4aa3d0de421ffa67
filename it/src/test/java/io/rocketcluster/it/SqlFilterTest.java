package io.rocketcluster.it;

import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.MessageSelector;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.exception.MQClientException;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * SQL92 property filtering with the official client (MessageSelector.bySql): the broker evaluates the
 * expression on each message's properties, so consumers receive exactly the matching messages; an
 * invalid expression or a broker without enablePropertyFilter makes the consumer's start fail.
 */
class SqlFilterTest {
    private static LocalCluster cluster;
    private static final List<Object> clients = new ArrayList<>();
    private static String topic;

    /** Keys of the messages sent: k1..k10 carry a=1..10, n1 and n2 carry no property a. */
    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster("sql-filter");
        cluster.startNamesrv();
        cluster.broker("broker-sql", 0, Map.of("enablePropertyFilter", "true")).start();

        topic = Clients.unique("SqlFilter");
        DefaultMQProducer producer = producer(cluster.namesrvAddr());
        for (int a = 1; a <= 10; a++) {
            Message m = message(topic, a <= 5 ? "TagA" : "TagB", "k" + a);
            m.putUserProperty("a", String.valueOf(a));
            m.putUserProperty("color", a % 2 == 0 ? "red" : "blue");
            assertThat(producer.send(m).getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        }
        for (int n = 1; n <= 2; n++) {
            Message m = message(topic, "TagC", "n" + n);
            m.putUserProperty("color", "green");
            assertThat(producer.send(m).getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        }
        // consumers check their SQL with a broker of the topic's route: the route must be known first
        awaitRoute(producer, topic);
    }

    @AfterAll
    static void stop() throws Exception {
        Clients.shutdownAll(clients);
        cluster.close();
    }

    @Test
    void pushConsumerReceivesExactlyTheMessagesMatchingItsSql() throws Exception {
        assertConsumes("a BETWEEN 3 AND 6 AND color = 'red'", "k4", "k6");
    }

    @Test
    void messagesSentWhileTheConsumerWaitsAreFilteredToo() throws Exception {
        String liveTopic = Clients.unique("SqlLive");
        DefaultMQProducer producer = producer(cluster.namesrvAddr());
        assertThat(producer.send(message(liveTopic, "TagL", "warm-up")).getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        awaitRoute(producer, liveTopic);
        List<String> keys = new CopyOnWriteArrayList<>();
        DefaultMQPushConsumer consumer = pushConsumer(cluster.namesrvAddr(), liveTopic, "live = 'yes' AND a > 1",
                m -> keys.add(m.getKeys()));
        consumer.start();
        try {
            // let the consumer's pulls reach the broker and wait there (long polling)
            Thread.sleep(3000);
            for (int a = 1; a <= 4; a++) {
                Message m = message(liveTopic, "TagL", "live" + a);
                m.putUserProperty("a", String.valueOf(a));
                m.putUserProperty("live", a == 4 ? "no" : "yes");
                assertThat(producer.send(m).getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            }
            await().atMost(Duration.ofSeconds(40)).until(() -> keys.size() >= 2);
            Thread.sleep(2000);
            assertThat(keys).containsExactlyInAnyOrder("live2", "live3");
        } finally {
            consumer.shutdown();
        }
    }

    @Test
    void systemPropertiesLikeTagsAndKeysAreVariables() throws Exception {
        assertConsumes("TAGS = 'TagB' AND color = 'blue'", "k7", "k9");
        assertConsumes("KEYS IN ('k1', 'n2') OR TAGS = 'TagA' AND a > 4", "k1", "k5", "n2");
    }

    @Test
    void missingPropertiesAreNull() throws Exception {
        assertConsumes("a IS NULL", "n1", "n2");
        assertConsumes("a IS NOT NULL AND NOT (a <= 8)", "k9", "k10");
    }

    @Test
    void pullConsumerSendsTheSqlWithEachPull() throws Exception {
        DefaultMQPullConsumer consumer = new DefaultMQPullConsumer(Clients.unique("sql_pull"));
        consumer.setNamesrvAddr(cluster.namesrvAddr());
        consumer.setInstanceName(Clients.unique("spc"));
        consumer.start();
        try {
            MessageSelector selector = MessageSelector.bySql("color = 'red' AND a >= 6");
            Set<String> keys = new TreeSet<>();
            // the client refuses SQL pulls until a heartbeat told it the broker's version
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .ignoreException(MQClientException.class)
                    .until(() -> {
                        keys.clear();
                        for (MessageQueue mq : consumer.fetchSubscribeMessageQueues(topic)) {
                            PullResult r = consumer.pull(mq, selector, 0, 32);
                            if (r.getPullStatus() == PullStatus.FOUND) {
                                r.getMsgFoundList().forEach(m -> keys.add(m.getKeys()));
                            }
                        }
                        return true;
                    });
            assertThat(keys).containsExactlyInAnyOrder("k6", "k8", "k10");
        } finally {
            consumer.shutdown();
        }
    }

    @Test
    void anInvalidExpressionFailsTheConsumerStart() throws Exception {
        DefaultMQPushConsumer consumer = pushConsumer(cluster.namesrvAddr(), topic, "a BETWEEN 3 AND", m -> { });
        Throwable t = catchThrowable(consumer::start);
        assertThat(t).isInstanceOf(MQClientException.class);
        assertThat(((MQClientException) t).getResponseCode()).isEqualTo(23);
        assertThat(t.getMessage()).contains("Invalid SQL92 expression at position 16");

        DefaultMQPushConsumer nullCompare = pushConsumer(cluster.namesrvAddr(), topic, "a = NULL", m -> { });
        assertThat(catchThrowable(nullCompare::start)).isInstanceOf(MQClientException.class)
                .hasMessageContaining("use IS NULL");
    }

    @Test
    void aBrokerWithoutPropertyFilteringRefusesSqlSubscribers() throws Exception {
        try (LocalCluster plain = new LocalCluster("sql-filter-off")) {
            plain.startNamesrv();
            plain.broker("broker-plain", 0, Map.of()).start();
            List<Object> plainClients = new ArrayList<>();
            try {
                String plainTopic = Clients.unique("NoSql");
                DefaultMQProducer producer = Clients.producer(plain.namesrvAddr());
                plainClients.add(producer);
                assertThat(producer.send(message(plainTopic, "TagA", "x")).getSendStatus())
                        .isEqualTo(SendStatus.SEND_OK);
                awaitRoute(producer, plainTopic);

                DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(Clients.unique("sql_off"));
                consumer.setNamesrvAddr(plain.namesrvAddr());
                consumer.setInstanceName(Clients.unique("soc"));
                consumer.subscribe(plainTopic, MessageSelector.bySql("a > 1"));
                consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) ->
                        ConsumeConcurrentlyStatus.CONSUME_SUCCESS);
                plainClients.add(consumer);
                Throwable t = catchThrowable(consumer::start);
                assertThat(t).isInstanceOf(MQClientException.class);
                assertThat(((MQClientException) t).getResponseCode()).isEqualTo(1);
                assertThat(t.getMessage()).contains("The broker does not support consumer to filter message by SQL92");

                // tag subscribers are still served
                Map<String, MessageExt> got = new ConcurrentHashMap<>();
                DefaultMQPushConsumer tags = Clients.pushConsumer(plain.namesrvAddr(), Clients.unique("tag_ok"),
                        plainTopic, "TagA", m -> got.put(m.getKeys(), m));
                plainClients.add(tags);
                tags.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> got.containsKey("x"));
            } finally {
                Clients.shutdownAll(plainClients);
            }
        }
    }

    /**
     * A fresh push consumer (from the first offset) with {@code sql} receives the messages with
     * {@code expectedKeys} and nothing else. Every message is stored before the consumer starts, so
     * the first pull of each queue carries all of its matches: once the expected ones arrived, a short
     * quiet period shows no others follow.
     */
    private static void assertConsumes(String sql, String... expectedKeys) throws Exception {
        List<String> keys = new CopyOnWriteArrayList<>();
        DefaultMQPushConsumer consumer = pushConsumer(cluster.namesrvAddr(), topic, sql, m -> keys.add(m.getKeys()));
        consumer.start();
        try {
            await(sql).atMost(Duration.ofSeconds(40)).until(() -> keys.size() >= expectedKeys.length);
            Thread.sleep(2000);
            assertThat(keys).as(sql).containsExactlyInAnyOrder(expectedKeys);
        } finally {
            consumer.shutdown();
        }
    }

    private static DefaultMQPushConsumer pushConsumer(String namesrv, String topic, String sql,
                                                      java.util.function.Consumer<MessageExt> sink) throws Exception {
        DefaultMQPushConsumer c = new DefaultMQPushConsumer(Clients.unique("sql_cg"));
        c.setNamesrvAddr(namesrv);
        c.setInstanceName(Clients.unique("sc"));
        c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        c.subscribe(topic, MessageSelector.bySql(sql));
        c.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            msgs.forEach(sink);
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        clients.add(c);
        return c;
    }

    private static DefaultMQProducer producer(String namesrv) throws Exception {
        DefaultMQProducer p = Clients.producer(namesrv);
        clients.add(p);
        return p;
    }

    private static Message message(String topic, String tag, String key) {
        return new Message(topic, tag, key, ("body of " + key).getBytes(StandardCharsets.UTF_8));
    }

    /** Waits until the nameserver routes {@code topic} (a send registers it asynchronously). */
    private static void awaitRoute(DefaultMQProducer producer, String topic) {
        await("route of " + topic).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .ignoreException(MQClientException.class)
                .until(() -> !producer.fetchPublishMessageQueues(topic).isEmpty());
    }
}
