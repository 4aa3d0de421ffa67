package io.rocketcluster.it;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * bin/mqadmin (the admin-cli jar, run as its own JVM as bin/mqadmin runs it) against a RocketCluster
 * nameserver, master and slave: every command, its table or JSON output and its exit code. Steps run
 * in order; a step that needs an earlier one fails when that one did.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminCliTest {

    private LocalCluster cluster;
    private LocalCluster.BrokerNode master;
    private LocalCluster.BrokerNode slave;
    private final List<Object> clients = new ArrayList<>();
    private final String topic = Clients.unique("AdmT");
    private final String group = Clients.unique("admg");
    private final String created = Clients.unique("AdmNew");
    private DefaultMQProducer producer;
    private final List<SendResult> sent = new ArrayList<>();
    /** Steps that passed; a step that needs an earlier one fails when that one did. */
    private final Set<String> passed = ConcurrentHashMap.newKeySet();

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    void start() throws Exception {
        cluster = new LocalCluster("admin-cli");
        cluster.startNamesrv();
        master = cluster.broker("broker-a", 0, Map.of("brokerRole", "ASYNC_MASTER")).start();
        slave = cluster.broker("broker-a", 1, Map.of("brokerRole", "SLAVE")).start();
        producer = Clients.producer(cluster.namesrvAddr());
        clients.add(producer);
        for (int i = 0; i < 10; i++) {
            SendResult r = producer.send(new Message(topic, "TagA", "k-" + i, ("body " + i).getBytes(StandardCharsets.UTF_8)));
            assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            sent.add(r);
        }
        var mqs = Clients.awaitRoute(producer, topic, 4);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        DefaultMQPushConsumer consumer = Clients.pushConsumer(cluster.namesrvAddr(), group, topic, "*", m -> seen.add(m.getKeys()));
        clients.add(consumer);
        consumer.start();
        await().atMost(Duration.ofSeconds(40)).until(() -> seen.size() == 10 && Clients.caughtUp(consumer, producer, mqs));
    }

    @AfterAll
    void stop() throws Exception {
        Clients.shutdownAll(clients);
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Runs mqadmin with {@code -n} set to the cluster's nameserver unless the args name one. */
    Run mqadmin(String... args) throws Exception {
        AdminCli.Run r = AdminCli.run(cluster.work(), cluster.namesrvAddr(), Map.of(), args);
        return new Run(r.exit(), r.out(), r.err());
    }

    /** A step: runs the command and checks its exit code and output. */
    private DynamicTest step(String name, String[] args, int exit, Consumer<Run> check) {
        return step(name, null, args, exit, check);
    }

    private DynamicTest step(String name, String requires, String[] args, int exit, Consumer<Run> check) {
        return DynamicTest.dynamicTest(name, () -> {
            assertThat(requires == null || passed.contains(requires)).as("needs step %s, which failed", requires)
                    .isTrue();
            Run r = mqadmin(args);
            assertThat(r.exit()).as("exit code of mqadmin %s\nstdout:\n%s\nstderr:\n%s", name, r.out(), r.err())
                    .isEqualTo(exit);
            check.accept(r);
            passed.add(name);
        });
    }

    private static String[] a(String... args) {
        return args;
    }

    @TestFactory
    Stream<DynamicTest> everyCommand() {
        String m = master.addr();
        String offsetMsgId = sent.get(3).getOffsetMsgId();
        int queue = sent.get(3).getMessageQueue().getQueueId();
        String producerGroup = producer.getProducerGroup();
        return Stream.of(
                step("clusterList", a("clusterList"), 0, r -> assertThat(r.out())
                        .contains("#Cluster Name").contains("ItCluster").contains("broker-a").contains(m).contains(slave.addr())),
                step("clusterList --json", a("clusterList", "--json"), 0, r -> assertThat(r.out())
                        .contains("\"brokerName\" : \"broker-a\"").contains("\"bid\" : 1")),
                step("clusterList -m", a("clusterList", "-m"), 0, r -> assertThat(r.out()).contains("#InTotalToday")),
                step("brokerStatus", a("brokerStatus", "-b", m), 0, r -> assertThat(r.out()).contains("brokerVersionDesc")),
                step("brokerStatus -c", a("brokerStatus", "-c", "ItCluster"), 0, r -> assertThat(r.out()).contains(slave.addr())),
                step("getBrokerConfig", a("getBrokerConfig", "-b", m), 0, r -> assertThat(r.out()).containsPattern("brokerName\\s+: broker-a")),
                step("updateBrokerConfig", a("updateBrokerConfig", "-b", m, "-k", "flushIntervalCommitLog", "-v", "600"), 0,
                        r -> assertThat(r.out()).contains("update broker config success")),
                step("updateTopic", a("updateTopic", "-c", "ItCluster", "-t", created, "-r", "3", "-w", "3"), 0,
                        r -> assertThat(r.out()).contains("create topic to " + m + " success")),
                step("topicRoute of the created topic", "updateTopic", a("topicRoute", "-t", created, "--json"), 0,
                        r -> assertThat(r.out()).contains("\"writeQueueNums\" : 3")),
                step("topicList", a("topicList"), 0, r -> assertThat(r.out().lines()).contains(topic)),
                step("topicList -c", a("topicList", "-c"), 0, r -> assertThat(r.out()).containsPattern("ItCluster\\s+" + topic + "\\s+" + group)),
                step("topicRoute", a("topicRoute", "-t", topic), 0, r -> assertThat(r.out()).contains("\"brokerName\" : \"broker-a\"")),
                step("topicRoute -l", a("topicRoute", "-t", topic, "-l"), 0, r -> assertThat(r.out()).contains("#BrokerAddrs")),
                step("topicStatus", a("topicStatus", "-t", topic, "--json"), 0, r -> assertThat(
                        r.out().lines().filter(l -> l.contains("\"maxOffset\"")).mapToLong(l -> Long.parseLong(
                                l.replaceAll("[^0-9]", ""))).sum()).isEqualTo(10)),
                step("updateSubGroup", a("updateSubGroup", "-c", "ItCluster", "-g", group + "_x", "-r", "3"), 0,
                        r -> assertThat(r.out()).contains("create subscription group to " + m + " success")),
                step("deleteSubGroup", "updateSubGroup", a("deleteSubGroup", "-b", m, "-g", group + "_x"), 0,
                        r -> assertThat(r.out()).contains("delete subscription group [" + group + "_x]")),
                step("consumerProgress -g", a("consumerProgress", "-g", group), 0,
                        r -> assertThat(r.out()).contains(topic).containsPattern("Diff Total\\s+: 0")),
                step("consumerProgress", a("consumerProgress"), 0, r -> assertThat(r.out()).contains(group)),
                step("consumerConnection", a("consumerConnection", "-g", group), 0,
                        r -> assertThat(r.out()).contains("CLUSTERING").contains(topic)),
                step("producerConnection", a("producerConnection", "-g", producerGroup, "-t", topic), 0,
                        r -> assertThat(r.out()).contains("JAVA")),
                step("resetOffsetByTime", a("resetOffsetByTime", "-g", group, "-t", topic, "-s", "now"), 0,
                        r -> assertThat(r.out()).contains("rollback consumer offset by specified group[" + group + "]")),
                step("queryMsgById", a("queryMsgById", "-i", offsetMsgId), 0,
                        r -> assertThat(r.out()).contains("body 3").contains(topic)),
                step("queryMsgById -t with a client message id", a("queryMsgById", "-t", topic, "-i", sent.get(3).getMsgId()), 0,
                        r -> assertThat(r.out()).contains("body 3").contains(offsetMsgId)),
                step("queryMsgByKey", a("queryMsgByKey", "-t", topic, "-k", "k-3"), 0,
                        r -> assertThat(r.out()).contains(sent.get(3).getMsgId())),
                step("queryMsgByOffset", a("queryMsgByOffset", "-t", topic, "-b", "broker-a", "-i", String.valueOf(queue),
                        "-o", String.valueOf(sent.get(3).getQueueOffset())), 0, r -> assertThat(r.out()).contains("body 3")),
                step("statsAll", a("statsAll", "-t", topic), 0, r -> assertThat(r.out()).contains(topic).contains(group)),
                step("clusterRT", a("clusterRT", "-a", "3"), 0, r -> assertThat(r.out()).containsPattern("broker-a\\s+\\S+\\s+3\\s+0")),
                step("wipeWritePerm", a("wipeWritePerm", "-b", "broker-a"), 0, r -> assertThat(r.out()).contains("OK")),
                step("addWritePerm", a("addWritePerm", "-b", "broker-a"), 0, r -> assertThat(r.out()).contains("OK")),
                step("deleteTopic", "updateTopic", a("deleteTopic", "-c", "ItCluster", "-t", created), 0,
                        r -> assertThat(r.out()).contains("success")),
                step("a deleted topic has no route: exit 1", "deleteTopic", a("topicRoute", "-t", created), 1,
                        r -> assertThat(r.err()).contains("no route")),
                step("a missing topic: exit 1", a("topicStatus", "-t", "NoSuchTopic"), 1, r -> { }),
                step("usage error: exit 2", a("updateTopic", "-t", "X"), 2, r -> assertThat(r.err()).contains("Usage")),
                step("no nameserver reachable: exit 3", a("clusterList", "-n", "127.0.0.1:" + LocalCluster.freePort(false)), 3,
                        r -> assertThat(r.err()).contains("cannot reach")));
    }
}
