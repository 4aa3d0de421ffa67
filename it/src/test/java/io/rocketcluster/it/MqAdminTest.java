package io.rocketcluster.it;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The official mqadmin (rocketmq-tools 4.9.7, its own JVM) against a cluster of two broker groups:
 * broker-a (master and slave) and broker-b (master). Every command an operator relies on runs, and
 * its printed output is checked against what the test did with the official client.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MqAdminTest {
    private static final String CLUSTER = "ItCluster";

    private static LocalCluster cluster;
    private static LocalCluster.BrokerNode a0;
    private static LocalCluster.BrokerNode a1;
    private static LocalCluster.BrokerNode b0;
    private static MqAdmin mqadmin;
    private static DefaultMQProducer producer;
    private static final List<Object> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        System.out.printf("%tT starting the cluster%n", System.currentTimeMillis());
        cluster = new LocalCluster("mqadmin");
        cluster.startNamesrv();
        a0 = cluster.broker("broker-a", 0, Map.of("brokerRole", "ASYNC_MASTER"));
        a1 = cluster.broker("broker-a", 1, Map.of("brokerRole", "SLAVE"));
        b0 = cluster.broker("broker-b", 0, Map.of("brokerRole", "ASYNC_MASTER"));
        List<CompletableFuture<?>> starts = new ArrayList<>();
        for (LocalCluster.BrokerNode b : List.of(a0, a1, b0)) {
            starts.add(CompletableFuture.runAsync(() -> {
                try {
                    b.start();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
        System.out.printf("%tT cluster started%n", System.currentTimeMillis());
        mqadmin = new MqAdmin(cluster.work(), cluster.namesrvAddr());
        producer = Clients.producer(cluster.namesrvAddr());
        clients.add(producer);
        System.out.printf("%tT producer started%n", System.currentTimeMillis());
    }

    @AfterAll
    static void stop() throws Exception {
        Clients.shutdownAll(clients);
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Creates {@code topic} with {@code queues} queues on both masters through mqadmin. */
    private static void createTopic(String topic, int queues) throws Exception {
        MqAdmin.Result r = mqadmin.run("updateTopic", "-c", CLUSTER, "-t", topic, "-r", "" + queues, "-w", "" + queues);
        assertThat(r.stdout()).as(r.toString())
                .contains("create topic to " + a0.addr() + " success.")
                .contains("create topic to " + b0.addr() + " success.");
    }

    private static List<SendResult> send(String topic, String keyPrefix, int n) throws Exception {
        List<SendResult> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SendResult r = producer.send(Clients.message(topic, "TagA", keyPrefix + i));
            assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            results.add(r);
        }
        return results;
    }

    @Test
    @Order(1)
    void clusterListShowsEveryBrokerAndBrokerStatusItsRuntimeInfo() throws Exception {
        send(Clients.unique("Status"), "status-", 3);
        List<MqAdmin.Result> results = mqadmin.runAll(new String[] {"clusterList"}, new String[] {"clusterList", "-m"},
                new String[] {"brokerStatus", "-b", a0.addr()}, new String[] {"brokerStatus", "-c", CLUSTER});
        MqAdmin.Result list = results.get(0);
        assertThat(list.stdout()).as(list.toString()).contains("#Cluster Name");
        for (var b : List.of(new Object[] {"broker-a", "0", a0}, new Object[] {"broker-a", "1", a1},
                new Object[] {"broker-b", "0", b0})) {
            List<String[]> rows = list.rowsStartingWith(CLUSTER, (String) b[0], (String) b[1],
                    ((LocalCluster.BrokerNode) b[2]).addr(), "V4_9_7");
            assertThat(rows).as(list.toString()).hasSize(1);
            // #InTPS(LOAD) and #OutTPS(LOAD): the runtime info was read (a missing key prints "null")
            assertThat(rows.get(0)[5]).matches("\\d+\\.\\d\\d\\(0,0ms\\)");
        }

        MqAdmin.Result more = results.get(1);
        assertThat(more.rowsStartingWith(CLUSTER, "broker-a")).as(more.toString()).hasSize(2);
        assertThat(more.rowsStartingWith(CLUSTER, "broker-b")).as(more.toString()).hasSize(1);
        long inToday = 0;
        for (String[] row : more.rowsStartingWith(CLUSTER)) {
            inToday += Long.parseLong(row[4]);
        }
        assertThat(inToday).as(more.toString()).isGreaterThanOrEqualTo(3);

        MqAdmin.Result status = results.get(2);
        assertThat(status.stdout()).as(status.toString())
                .containsPattern("brokerVersionDesc\\s+: V4_9_7")
                .containsPattern("putTps\\s+: \\d+\\.\\d{3} \\d+\\.\\d{3} \\d+\\.\\d{3}")
                .containsPattern("getTransferedTps\\s+: \\d+\\.\\d{3} \\d+\\.\\d{3} \\d+\\.\\d{3}")
                .containsPattern("msgPutTotalTodayNow\\s+: \\d+")
                .containsPattern("sendThreadPoolQueueCapacity\\s+: \\d+")
                .containsPattern("commitLogDirCapacity\\s+: Total : .*, Free : .*\\.");
        MqAdmin.Result all = results.get(3);
        for (LocalCluster.BrokerNode b : List.of(a0, a1, b0)) {
            assertThat(all.stdout()).as(all.toString()).containsPattern(Pattern.quote(b.addr()) + "\\s+brokerVersionDesc\\s+: V4_9_7");
        }
    }

    @Test
    @Order(2)
    void topicsAreCreatedUpdatedListedRoutedAndDeleted() throws Exception {
        String topic = Clients.unique("AdminTopic");
        createTopic(topic, 3);
        MqAdmin.Result update = mqadmin.run("updateTopic", "-b", a0.addr(), "-t", topic, "-r", "5", "-w", "5");
        assertThat(update.stdout()).as(update.toString()).contains("create topic to " + a0.addr() + " success.");
        List<SendResult> sent = send(topic, "status-", 16);
        List<MqAdmin.Result> results = mqadmin.runAll(new String[] {"topicRoute", "-t", topic, "-l"},
                new String[] {"topicStatus", "-t", topic}, new String[] {"topicList"}, new String[] {"topicList", "-c"},
                new String[] {"updateTopic", "-b", a1.addr(), "-t", topic});
        MqAdmin.Result route = results.get(0);
        assertThat(route.rowsStartingWith(CLUSTER, "broker-a")).as(route.toString()).hasSize(1);
        assertThat(route.stdout()).as(route.toString())
                .containsPattern("broker-a\\s+\\{0=" + Pattern.quote(a0.addr()) + ", 1=" + Pattern.quote(a1.addr()) + "\\}\\s+5\\s+5\\s+6")
                .containsPattern("broker-b\\s+\\{0=" + Pattern.quote(b0.addr()) + "\\}\\s+3\\s+3\\s+6")
                .containsPattern("Total:\\s+2\\s+8\\s+8");

        MqAdmin.Result status = results.get(1);
        long sum = 0;
        for (String b : List.of("broker-a", "broker-b")) {
            for (String[] row : status.rowsStartingWith(b)) {
                assertThat(row[2]).as("min offset").isEqualTo("0");
                sum += Long.parseLong(row[3]);
            }
        }
        assertThat(status.rowsStartingWith("broker-a")).as(status.toString()).hasSize(5);
        assertThat(status.rowsStartingWith("broker-b")).as(status.toString()).hasSize(3);
        assertThat(sum).as(status.toString()).isEqualTo(sent.size());
        for (SendResult r : sent) {
            MessageQueue mq = r.getMessageQueue();
            String[] row = status.rowsStartingWith(mq.getBrokerName(), "" + mq.getQueueId()).get(0);
            assertThat(Long.parseLong(row[3])).isGreaterThan(r.getQueueOffset());
        }

        MqAdmin.Result topics = results.get(2);
        assertThat(topics.stdout().lines()).as(topics.toString()).contains(topic, "broker-a", "broker-b", CLUSTER);
        MqAdmin.Result byCluster = results.get(3);
        assertThat(byCluster.rowsStartingWith(CLUSTER, topic)).as(byCluster.toString()).isNotEmpty();
        MqAdmin.Result slave = results.get(4);
        assertThat(slave.stderr()).as(slave.toString()).contains("Can't modify topic or subscription group from slave broker");

        String doomed = Clients.unique("Doomed");
        createTopic(doomed, 2);
        send(doomed, "doomed-", 4);
        MqAdmin.Result delete = mqadmin.run("deleteTopic", "-c", CLUSTER, "-t", doomed);
        assertThat(delete.stdout()).as(delete.toString())
                .contains("delete topic [" + doomed + "] from cluster [" + CLUSTER + "] success.")
                .contains("delete topic [" + doomed + "] from NameServer success.");
        results = mqadmin.runAll(new String[] {"topicRoute", "-t", doomed}, new String[] {"topicList"},
                new String[] {"topicStatus", "-t", doomed});
        assertThat(results.get(0).stderr()).as(results.get(0).toString()).contains("No topic route info");
        assertThat(results.get(1).stdout().lines()).as(results.get(1).toString()).doesNotContain(doomed).contains(topic);
        assertThat(results.get(2).stderr()).as(results.get(2).toString()).contains("No topic route info");
    }

    @Test
    @Order(3)
    void subscriptionGroupsAreCreatedAndDeleted() throws Exception {
        String group = Clients.unique("AdminGroup");
        MqAdmin.Result create = mqadmin.run("updateSubGroup", "-c", CLUSTER, "-g", group, "-r", "3", "-q", "2");
        assertThat(create.stdout()).as(create.toString())
                .contains("create subscription group to " + a0.addr() + " success.")
                .contains("create subscription group to " + b0.addr() + " success.");
        MqAdmin.Result config = mqadmin.run("getConsumerConfig", "-g", group);
        assertThat(config.stdout()).as(config.toString())
                .contains("=" + CLUSTER + ":broker-a=").contains("=" + CLUSTER + ":broker-b=")
                .containsPattern("retryMaxTimes\\s+=  3").containsPattern("retryQueueNums\\s+=  2")
                .containsPattern("consumeBroadcastEnable\\s+=  false");

        MqAdmin.Result delete = mqadmin.run("deleteSubGroup", "-c", CLUSTER, "-g", group);
        assertThat(delete.stdout()).as(delete.toString())
                .contains("delete subscription group [" + group + "] from broker [" + a0.addr() + "] in cluster [" + CLUSTER + "] success.")
                .contains("delete subscription group [" + group + "] from broker [" + b0.addr() + "] in cluster [" + CLUSTER + "] success.");
        assertThat(mqadmin.run("getConsumerConfig", "-g", group).stdout()).doesNotContain(group).doesNotContain("retryMaxTimes");
    }

    @Test
    @Order(4)
    void consumerProgressConnectionsAndResetByTime() throws Exception {
        String topic = Clients.unique("AdminConsume");
        String group = Clients.unique("AdminCG");
        // on broker-a only: each broker of a topic makes the consumer pause 10 s in a reset
        MqAdmin.Result create = mqadmin.run("updateTopic", "-b", a0.addr(), "-t", topic, "-r", "4", "-w", "4");
        assertThat(create.stdout()).as(create.toString()).contains("create topic to " + a0.addr() + " success.");
        long beforeFirst = System.currentTimeMillis() - 1000;
        send(topic, "consume-", 12);

        Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
        DefaultMQPushConsumer consumer = Clients.pushConsumer(cluster.namesrvAddr(), group, topic, "*",
                m -> received.computeIfAbsent(m.getKeys(), k -> new AtomicInteger()).incrementAndGet());
        consumer.setPersistConsumerOffsetInterval(1000);
        clients.add(consumer);
        consumer.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 12);

        // progress: every queue committed (the client first commits 10 s after it started) and caught up
        AtomicReference<MqAdmin.Result> progress = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            progress.set(mqadmin.run("consumerProgress", "-g", group));
            assertThat(progress.get().rowsStartingWith(topic, "broker-a")).as(progress.get().toString()).hasSize(4);
            assertThat(progress.get().stdout()).as(progress.get().toString()).contains("Diff Total: 0");
        });
        long committed = 0;
        for (String[] row : progress.get().rowsStartingWith(topic)) {
            assertThat(row[3]).as("broker offset = consumer offset").isEqualTo(row[4]);
            committed += Long.parseLong(row[4]);
        }
        assertThat(committed).isEqualTo(12);

        // online reset: the broker tells the consumer, which consumes everything again
        MqAdmin.Result reset = mqadmin.run("resetOffsetByTime", "-g", group, "-t", topic, "-s", "" + beforeFirst);
        assertThat(reset.stdout()).as(reset.toString())
                .contains("rollback consumer offset by specified group[" + group + "], topic[" + topic + "]");
        assertThat(reset.rowsStartingWith("broker-a")).as(reset.toString()).hasSize(4).allMatch(row -> row[2].equals("0"));

        List<MqAdmin.Result> results = mqadmin.runAll(new String[] {"consumerConnection", "-g", group},
                new String[] {"producerConnection", "-g", producer.getProducerGroup(), "-t", topic},
                new String[] {"consumerProgress"});
        MqAdmin.Result connection = results.get(0);
        String clientId = consumer.getDefaultMQPushConsumerImpl().getmQClientFactory().getClientId();
        assertThat(connection.stdout()).as(connection.toString())
                .containsPattern(Pattern.quote(clientId) + "\\s+127\\.0\\.0\\.1:\\d+\\s+JAVA\\s+V\\d_\\d_\\d")
                .containsPattern(Pattern.quote(topic) + "\\s+\\*")
                .contains("ConsumeType: CONSUME_PASSIVELY", "MessageModel: CLUSTERING",
                        "ConsumeFromWhere: CONSUME_FROM_FIRST_OFFSET");
        MqAdmin.Result producers = results.get(1);
        assertThat(producers.stdout()).as(producers.toString())
                .containsPattern("0001\\s+" + Pattern.quote(producer.getDefaultMQProducerImpl().getmQClientFactory().getClientId())
                        + "\\s+127\\.0\\.0\\.1:\\d+\\s+JAVA");
        MqAdmin.Result groups = results.get(2);
        assertThat(groups.stdout()).as(groups.toString()).containsPattern(Pattern.quote(group) + "\\s+1\\s+V\\d_\\d_\\d\\s+PUSH\\s+CLUSTERING");

        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500)).until(() -> {
            consumer.getDefaultMQPushConsumerImpl().getmQClientFactory().rebalanceImmediately();
            return received.values().stream().allMatch(c -> c.get() >= 2);
        });

        // statsAll: 12 in, 24 out (everything twice), nothing left
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            MqAdmin.Result stats = mqadmin.run("statsAll", "-t", topic);
            List<String[]> rows = stats.rowsStartingWith(topic, group);
            assertThat(rows).as(stats.toString()).hasSize(1);
            // #Topic #Consumer Group #Accumulation #InTPS #OutTPS #InMsg24Hour #OutMsg24Hour
            String[] row = rows.get(0);
            assertThat(row[2]).as(stats.toString()).isEqualTo("0");
            assertThat(Double.parseDouble(row[3])).as(stats.toString()).isGreaterThan(0);
            assertThat(Double.parseDouble(row[4])).as(stats.toString()).isGreaterThan(0);
            assertThat(row[5]).as(stats.toString()).isEqualTo("12");
            assertThat(row[6]).as(stats.toString()).isEqualTo("24");
        });

        // offline: the lag shows, and a reset falls back to writing the committed offsets
        consumer.shutdown();
        clients.remove(consumer);
        send(topic, "lag-", 7);
        List<MqAdmin.Result> offlineResults = mqadmin.runAll(new String[] {"consumerProgress", "-g", group},
                new String[] {"consumerConnection", "-g", group});
        MqAdmin.Result lag = offlineResults.get(0);
        assertThat(lag.stdout()).as(lag.toString()).contains("Diff Total: 7");
        MqAdmin.Result offline = offlineResults.get(1);
        assertThat(offline.stdout() + offline.stderr()).as(offline.toString()).contains("206");
        MqAdmin.Result skip = mqadmin.run("resetOffsetByTime", "-g", group, "-t", topic, "-s", "now");
        assertThat(skip.stdout()).as(skip.toString())
                .contains("rollback consumer offset by specified consumerGroup[" + group + "], topic[" + topic + "]");
        assertThat(mqadmin.run("consumerProgress", "-g", group).stdout()).contains("Diff Total: 0");
    }

    @Test
    @Order(5)
    void brokerConfigIsReadAndUpdatedAtRuntime() throws Exception {
        MqAdmin.Result config = mqadmin.run("getBrokerConfig", "-b", a0.addr());
        assertThat(config.stdout()).as(config.toString())
                .contains("============" + a0.addr() + "============")
                .containsPattern("brokerName\\s+=  broker-a")
                .containsPattern("brokerClusterName\\s+=  " + CLUSTER)
                .containsPattern("listenPort\\s+=  " + a0.port())
                .containsPattern("fileReservedTime\\s+=  72");

        MqAdmin.Result update = mqadmin.run("updateBrokerConfig", "-b", a0.addr(), "-k", "fileReservedTime", "-v", "48");
        assertThat(update.stdout()).as(update.toString()).contains("update broker config success, " + a0.addr());
        Path conf = cluster.work().resolve("broker-a-0.conf");
        assertThat(Files.readAllLines(conf)).contains("fileReservedTime=48").contains("brokerName=broker-a");

        String topic = Clients.unique("ReadOnly");
        List<MqAdmin.Result> results = mqadmin.runAll(
                new String[] {"updateBrokerConfig", "-b", a0.addr(), "-k", "listenPort", "-v", "1234"},
                new String[] {"updateBrokerConfig", "-b", a0.addr(), "-k", "noSuchKey", "-v", "1"},
                new String[] {"updateBrokerConfig", "-b", a0.addr(), "-k", "diskMaxUsedSpaceRatio", "-v", "99"},
                new String[] {"getBrokerConfig", "-c", CLUSTER},
                new String[] {"updateTopic", "-c", CLUSTER, "-t", topic, "-r", "2", "-w", "2"});
        MqAdmin.Result refused = results.get(0);
        assertThat(refused.stderr()).as(refused.toString()).contains("listenPort (needs a broker restart");
        MqAdmin.Result unknown = results.get(1);
        assertThat(unknown.stderr()).as(unknown.toString()).contains("noSuchKey (not a broker config key)");
        MqAdmin.Result bad = results.get(2);
        assertThat(bad.stderr()).as(bad.toString()).contains("diskMaxUsedSpaceRatio").contains("nothing was applied");

        MqAdmin.Result byCluster = results.get(3);
        assertThat(byCluster.stdout()).as(byCluster.toString())
                .contains("============Master: " + a0.addr() + "============")
                .contains("============My Master: " + a0.addr() + "=====Slave: " + a1.addr() + "============")
                .contains("============Master: " + b0.addr() + "============")
                .containsPattern("brokerRole\\s+=  SLAVE")
                .containsPattern("fileReservedTime\\s+=  48");

        // a read-only broker leaves the write routes
        assertThat(results.get(4).stdout()).as(results.get(4).toString()).contains("create topic to " + b0.addr() + " success.");
        MqAdmin.Result readOnly = mqadmin.run("updateBrokerConfig", "-b", b0.addr(), "-k", "brokerPermission", "-v", "4");
        assertThat(readOnly.stdout()).as(readOnly.toString()).contains("update broker config success, " + b0.addr());
        assertThat(mqadmin.run("topicRoute", "-t", topic, "-l").stdout()).containsPattern("broker-b\\s+\\S+\\s+2\\s+2\\s+4");
        mqadmin.run("updateBrokerConfig", "-b", b0.addr(), "-k", "brokerPermission", "-v", "6");
        assertThat(mqadmin.run("topicRoute", "-t", topic, "-l").stdout()).containsPattern("broker-b\\s+\\S+\\s+2\\s+2\\s+6");
    }

    @Test
    @Order(6)
    void messagesAreFoundByIdKeyAndOffset() throws Exception {
        String topic = Clients.unique("AdminQuery");
        createTopic(topic, 2);
        String key = Clients.unique("key");
        Message m = new Message(topic, "TagQ", key, ("the body of " + key).getBytes(StandardCharsets.UTF_8));
        SendResult r = producer.send(m);
        assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);

        List<MqAdmin.Result> results = mqadmin.runAll(new String[] {"queryMsgById", "-i", r.getOffsetMsgId()},
                new String[] {"queryMsgByOffset", "-t", topic, "-b", r.getMessageQueue().getBrokerName(),
                    "-i", "" + r.getMessageQueue().getQueueId(), "-o", "" + r.getQueueOffset()},
                new String[] {"queryMsgByKey", "-t", topic, "-k", key});
        MqAdmin.Result byId = results.get(0);
        assertThat(byId.stdout()).as(byId.toString())
                .containsPattern("OffsetID:\\s+" + r.getOffsetMsgId())
                .containsPattern("Topic:\\s+" + topic)
                .containsPattern("Tags:\\s+\\[TagQ\\]")
                .containsPattern("Keys:\\s+\\[" + key + "\\]")
                .containsPattern("Queue ID:\\s+" + r.getMessageQueue().getQueueId())
                .containsPattern("Queue Offset:\\s+" + r.getQueueOffset());
        Matcher body = Pattern.compile("Message Body Path:\\s+(\\S+)").matcher(byId.stdout());
        assertThat(body.find()).isTrue();
        assertThat(Files.readString(Path.of(body.group(1)))).isEqualTo("the body of " + key);

        AtomicReference<MqAdmin.Result> firstByKey = new AtomicReference<>(results.get(2));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            // the index is built asynchronously: the first answer may come too early
            MqAdmin.Result byKey = firstByKey.get() != null ? firstByKey.getAndSet(null)
                    : mqadmin.run("queryMsgByKey", "-t", topic, "-k", key);
            assertThat(byKey.stdout()).as(byKey.toString()).containsPattern(r.getMsgId() + "\\s+"
                    + r.getMessageQueue().getQueueId() + "\\s+" + r.getQueueOffset());
        });

        MqAdmin.Result byOffset = results.get(1);
        assertThat(byOffset.stdout()).as(byOffset.toString())
                .containsPattern("Keys:\\s+\\[" + key + "\\]")
                .containsPattern("Queue Offset:\\s+" + r.getQueueOffset());
    }

    @Test
    @Order(7)
    void statsAllAndClusterRt() throws Exception {
        String topic = Clients.unique("AdminStats");
        createTopic(topic, 2);
        send(topic, "stats-", 10);
        MqAdmin.Result stats = mqadmin.run("statsAll");
        // #Topic #Consumer Group(none) #Accumulation #InTPS #OutTPS(none) #InMsg24Hour #OutMsg24Hour
        List<String[]> rows = stats.rowsStartingWith(topic);
        assertThat(rows).as(stats.toString()).hasSize(1);
        assertThat(rows.get(0)).as(stats.toString()).hasSize(5);
        assertThat(Double.parseDouble(rows.get(0)[2])).as(stats.toString()).isGreaterThan(0);
        assertThat(rows.get(0)[3]).as(stats.toString()).isEqualTo("10");
        assertThat(rows.get(0)[4]).as(stats.toString()).isEqualTo("NO_CONSUMER");
        assertThat(stats.rowsStartingWith("%RETRY%")).as("retry topics are left out").isEmpty();

        MqAdmin.Result rt = mqadmin.run(Duration.ofSeconds(60),
                out -> out.contains(CLUSTER) && out.split(CLUSTER, -1).length > 2,
                "clusterRT", "-a", "3", "-i", "60");
        for (String broker : List.of("broker-a", "broker-b")) {
            List<String[]> rtRows = rt.rowsStartingWith(CLUSTER, broker);
            assertThat(rtRows).as(rt.toString()).hasSize(1);
            assertThat(Double.parseDouble(rtRows.get(0)[2])).isGreaterThanOrEqualTo(0);
            assertThat(rtRows.get(0)[3]).as("successCount").isEqualTo("3");
            assertThat(rtRows.get(0)[4]).as("failCount").isEqualTo("0");
        }
    }

    @Test
    @Order(8)
    void wipedWritePermKeepsProducersOffTheBroker() throws Exception {
        String topic = Clients.unique("AdminWipe");
        createTopic(topic, 2);
        MqAdmin.Result wipe = mqadmin.run("wipeWritePerm", "-b", "broker-a");
        assertThat(wipe.stdout()).as(wipe.toString())
                .containsPattern("wipe write perm of broker\\[broker-a\\] in name server\\[" + Pattern.quote(cluster.namesrvAddr())
                        + "\\] OK, [1-9]\\d*");
        try {
            assertThat(mqadmin.run("topicRoute", "-t", topic, "-l").stdout()).containsPattern("broker-a\\s+\\S+\\s+\\S+\\s+2\\s+2\\s+4");
            DefaultMQProducer fresh = Clients.producer(cluster.namesrvAddr());
            clients.add(fresh);
            for (int i = 0; i < 10; i++) {
                SendResult r = fresh.send(Clients.message(topic, "TagW", "wipe-" + i));
                assertThat(r.getMessageQueue().getBrokerName()).isEqualTo("broker-b");
            }
        } finally {
            MqAdmin.Result add = mqadmin.run("addWritePerm", "-b", "broker-a");
            assertThat(add.stdout()).as(add.toString())
                    .containsPattern("add write perm of broker\\[broker-a\\] in name server\\[" + Pattern.quote(cluster.namesrvAddr())
                            + "\\] OK, [1-9]\\d*");
        }
        assertThat(mqadmin.run("topicRoute", "-t", topic, "-l").stdout()).containsPattern("broker-a\\s+\\S+\\s+\\S+\\s+2\\s+2\\s+6");
    }
}
