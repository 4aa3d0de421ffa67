package io.rocketcluster.it;

import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.RPCHook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Plain ACL with the unmodified official client signing through rocketmq-acl's AclClientRPCHook: the
 * right keys produce and consume, wrong keys and no keys are refused with RocketMQ's remarks, topic and
 * group permissions hold, and an edit of plain_acl.yml (beside the broker's config file) takes effect
 * without a restart.
 */
class AclTest {
    private static final int SYSTEM_ERROR = 1;
    private static final String ACL = """
            accounts:
              - accessKey: producerKey
                secretKey: producerSecret
                defaultTopicPerm: DENY
                defaultGroupPerm: SUB
                topicPerms:
                  - %1$s=PUB
              - accessKey: consumerKey
                secretKey: consumerSecret
                defaultTopicPerm: SUB
                defaultGroupPerm: DENY
                groupPerms:
                  - %2$s=SUB
            """;

    private static LocalCluster cluster;
    private static Path aclFile;
    private static final String TOPIC = Clients.unique("AclOrders");
    private static final String GROUP = Clients.unique("acl_billing");
    private final List<Runnable> shutdowns = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster("acl");
        cluster.startNamesrv();
        aclFile = cluster.work().resolve("plain_acl.yml");
        Files.writeString(aclFile, ACL.formatted(TOPIC, GROUP));
        cluster.broker("broker-a", 0, Map.of("aclEnable", "true")).start();
    }

    @AfterEach
    void shutdownClients() {
        shutdowns.forEach(Runnable::run);
        shutdowns.clear();
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    private static RPCHook keys(String accessKey, String secretKey) {
        return new AclClientRPCHook(new SessionCredentials(accessKey, secretKey));
    }

    private DefaultMQProducer producer(RPCHook hook) throws Exception {
        DefaultMQProducer p = hook == null ? new DefaultMQProducer(Clients.unique("acl_pg"))
                : new DefaultMQProducer(Clients.unique("acl_pg"), hook);
        p.setNamesrvAddr(cluster.namesrvAddr());
        p.setInstanceName(Clients.unique("p"));
        p.setRetryTimesWhenSendFailed(0);
        p.start();
        shutdowns.add(p::shutdown);
        return p;
    }

    /** SYSTEM_ERROR is one the producer retries, so the broker's answer arrives as the cause of the last failure. */
    private static void refused(ThrowingRunnable send, String remark) {
        assertThatThrownBy(send::run).satisfies(e -> {
            Throwable t = e;
            while (t != null && !(t instanceof MQBrokerException)) {
                t = t.getCause();
            }
            assertThat(t).as("an MQBrokerException in %s", e.toString()).isInstanceOf(MQBrokerException.class);
            MQBrokerException b = (MQBrokerException) t;
            assertThat(b.getResponseCode()).isEqualTo(SYSTEM_ERROR);
            assertThat(b.getErrorMessage()).startsWith("org.apache.rocketmq.acl.common.AclException: " + remark);
        });
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void theRightKeysProduceAndConsume() throws Exception {
        DefaultMQProducer producer = producer(keys("producerKey", "producerSecret"));
        assertThat(producer.send(Clients.message(TOPIC, "T", "k1")).getSendStatus()).isEqualTo(SendStatus.SEND_OK);

        Set<String> received = ConcurrentHashMap.newKeySet();
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(GROUP, keys("consumerKey", "consumerSecret"),
                new org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragely());
        consumer.setNamesrvAddr(cluster.namesrvAddr());
        consumer.setInstanceName(Clients.unique("c"));
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.subscribe(TOPIC, "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            msgs.forEach(m -> received.add(m.getKeys()));
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        shutdowns.add(consumer::shutdown);
        await().atMost(Duration.ofSeconds(60)).until(() -> received.contains("k1"));
    }

    @Test
    void wrongKeysAndNoKeysAreRefused() throws Exception {
        DefaultMQProducer forged = producer(keys("producerKey", "notTheSecret"));
        refused(() -> forged.send(Clients.message(TOPIC, "T", "forged")), "Check signature failed for accessKey=producerKey");
        DefaultMQProducer stranger = producer(keys("strangerKey", "strangerSecret"));
        refused(() -> stranger.send(Clients.message(TOPIC, "T", "stranger")), "No acl config for strangerKey");
        DefaultMQProducer anonymous = producer(null);
        refused(() -> anonymous.send(Clients.message(TOPIC, "T", "anonymous")), "No accessKey is configured");
    }

    @Test
    void topicAndGroupPermissionsAreEnforced() throws Exception {
        DefaultMQProducer producer = producer(keys("producerKey", "producerSecret"));
        producer.send(Clients.message(TOPIC, "T", "exists"));
        DefaultMQProducer consumerKeys = producer(keys("consumerKey", "consumerSecret"));
        refused(() -> consumerKeys.send(Clients.message(TOPIC, "T", "not-a-producer")),
                "No default permission for topic:" + TOPIC);

        DefaultMQPullConsumer denied = new DefaultMQPullConsumer(Clients.unique("acl_other"),
                keys("consumerKey", "consumerSecret"));
        denied.setNamesrvAddr(cluster.namesrvAddr());
        denied.setInstanceName(Clients.unique("pull"));
        denied.start();
        shutdowns.add(denied::shutdown);
        MessageQueue mq = Clients.awaitRoute(producer, TOPIC, 4).get(0);
        refused(() -> denied.pull(mq, "*", 0, 32), "No default permission for group:acl_other");
    }

    @Test
    void anEditOfThePlainAclFileTakesEffectWithoutARestart() throws Exception {
        String later = Clients.unique("AclLater");
        DefaultMQProducer producer = producer(keys("producerKey", "producerSecret"));
        refused(() -> producer.send(Clients.message(later, "T", "before")), "No default permission for topic:" + later);
        Files.writeString(aclFile, ACL.formatted(TOPIC, GROUP).replace("  - " + TOPIC + "=PUB",
                "  - " + TOPIC + "=PUB\n      - " + later + "=PUB"));
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> producer.send(Clients.message(later, "T", "after")).getSendStatus() == SendStatus.SEND_OK);
        Files.writeString(aclFile, ACL.formatted(TOPIC, GROUP));
    }
}
