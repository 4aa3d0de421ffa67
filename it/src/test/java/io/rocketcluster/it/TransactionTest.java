package io.rocketcluster.it;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.client.producer.TransactionListener;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.apache.rocketmq.client.producer.TransactionSendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Transactional messages with the official TransactionMQProducer: commit, rollback, back-checks, restart. */
class TransactionTest {
    private static LocalCluster cluster;
    private static LocalCluster.BrokerNode broker;
    private static final List<Object> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster("transactions");
        cluster.startNamesrv();
        broker = cluster.broker("broker-a", 0, Map.of("transactionCheckInterval", "1000",
                "transactionTimeOut", "1000", "transactionCheckMax", "3")).start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (Object c : clients) {
            if (c instanceof TransactionMQProducer p) {
                p.shutdown();
            }
        }
        Clients.shutdownAll(clients);
        cluster.close();
    }

    /** A producer whose local transaction and check answers come from {@code decide} by message key. */
    private static TransactionMQProducer producer(Function<String, LocalTransactionState> execute,
                                                  Function<String, LocalTransactionState> check,
                                                  Map<String, AtomicInteger> checks) throws Exception {
        TransactionMQProducer p = new TransactionMQProducer(Clients.unique("txpg"));
        p.setNamesrvAddr(cluster.namesrvAddr());
        p.setInstanceName(Clients.unique("tx"));
        p.setHeartbeatBrokerInterval(1000);
        p.setTransactionListener(new TransactionListener() {
            @Override
            public LocalTransactionState executeLocalTransaction(Message msg, Object arg) {
                return execute.apply(msg.getKeys());
            }

            @Override
            public LocalTransactionState checkLocalTransaction(MessageExt msg) {
                checks.computeIfAbsent(msg.getKeys(), k -> new AtomicInteger()).incrementAndGet();
                return check.apply(msg.getKeys());
            }
        });
        p.start();
        clients.add(p);
        return p;
    }

    private static Map<String, Integer> consume(String topic) throws Exception {
        Map<String, Integer> received = new ConcurrentHashMap<>();
        DefaultMQPushConsumer c = Clients.pushConsumer(cluster.namesrvAddr(), Clients.unique("cg"), topic, "*",
                m -> received.merge(m.getKeys(), 1, Integer::sum));
        clients.add(c);
        c.start();
        return received;
    }

    private static TransactionSendResult send(TransactionMQProducer p, String topic, String key) throws Exception {
        TransactionSendResult r = p.sendMessageInTransaction(
                new Message(topic, "T", key, key.getBytes(StandardCharsets.UTF_8)), null);
        assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        return r;
    }

    @Test
    void committedMessagesAreDeliveredAndRolledBackOnesNever() throws Exception {
        String topic = Clients.unique("Tx");
        Map<String, AtomicInteger> checks = new ConcurrentHashMap<>();
        TransactionMQProducer p = producer(k -> k.startsWith("commit") ? LocalTransactionState.COMMIT_MESSAGE
                : LocalTransactionState.ROLLBACK_MESSAGE, k -> LocalTransactionState.ROLLBACK_MESSAGE, checks);
        for (int i = 0; i < 5; i++) {
            assertThat(send(p, topic, "commit" + i).getLocalTransactionState()).isEqualTo(LocalTransactionState.COMMIT_MESSAGE);
            assertThat(send(p, topic, "rollback" + i).getLocalTransactionState())
                    .isEqualTo(LocalTransactionState.ROLLBACK_MESSAGE);
        }
        Map<String, Integer> received = consume(topic);
        await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= 5);
        // several check intervals pass: resolved halves are never checked, rolled-back ones never appear
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() ->
                received.keySet().stream().allMatch(k -> k.startsWith("commit")) && checks.isEmpty());
        assertThat(received).containsOnlyKeys("commit0", "commit1", "commit2", "commit3", "commit4");
        assertThat(received.values()).containsOnly(1);
    }

    @Test
    void anUnknownOutcomeIsCheckedWithTheProducerAndCommitted() throws Exception {
        String topic = Clients.unique("TxCheck");
        Map<String, AtomicInteger> checks = new ConcurrentHashMap<>();
        TransactionMQProducer p = producer(k -> LocalTransactionState.UNKNOW,
                k -> k.startsWith("yes") ? LocalTransactionState.COMMIT_MESSAGE : LocalTransactionState.ROLLBACK_MESSAGE,
                checks);
        send(p, topic, "yes1");
        send(p, topic, "no1");
        Map<String, Integer> received = consume(topic);
        await().atMost(Duration.ofSeconds(60)).until(() -> received.containsKey("yes1"));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> !received.containsKey("no1"));
        assertThat(checks.get("yes1").get()).isEqualTo(1);
        assertThat(checks.get("no1").get()).isEqualTo(1);
        assertThat(received).containsEntry("yes1", 1);
    }

    @Test
    void anUnansweredHalfIsCheckedAtMostTransactionCheckMaxTimes() throws Exception {
        String topic = Clients.unique("TxMax");
        Map<String, AtomicInteger> checks = new ConcurrentHashMap<>();
        TransactionMQProducer p = producer(k -> LocalTransactionState.UNKNOW, k -> LocalTransactionState.UNKNOW, checks);
        send(p, topic, "limbo");
        await().atMost(Duration.ofSeconds(60)).until(() -> checks.containsKey("limbo") && checks.get("limbo").get() >= 3);
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> checks.get("limbo").get() == 3);
        Map<String, Integer> received = consume(topic);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(received::isEmpty);
    }

    @Test
    void aPendingTransactionSurvivesABrokerRestart() throws Exception {
        String topic = Clients.unique("TxRestart");
        Map<String, AtomicInteger> checks = new ConcurrentHashMap<>();
        AtomicInteger allowCommit = new AtomicInteger();
        TransactionMQProducer p = producer(k -> LocalTransactionState.UNKNOW,
                k -> allowCommit.get() > 0 ? LocalTransactionState.COMMIT_MESSAGE : LocalTransactionState.UNKNOW, checks);
        send(p, topic, "survivor");
        broker.stop();
        broker.start();
        allowCommit.set(1);
        Map<String, Integer> received = consume(topic);
        await().atMost(Duration.ofSeconds(60)).until(() -> received.containsKey("survivor"));
        assertThat(received).containsEntry("survivor", 1);
    }
}
