package io.rocketcluster.e2e;

import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.protocol.route.BrokerData;
import org.apache.rocketmq.common.protocol.route.TopicRouteData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped compose file against a real daemon, one cluster for the whole class (brokers under
 * a 512 MiB memory limit), in order: clients on the host and on the compose network, the master
 * killed while a consumer reads, the master restarted, then a sustained load.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeClusterE2ETest {
    private ComposeCluster cluster;
    private DefaultMQProducer producer;
    private Clients.Recorder failoverConsumer;

    @BeforeAll
    void up() throws Exception {
        Docker.assumeComposeReady();
        cluster = new ComposeCluster(Map.of("BROKER_MEM_LIMIT", "512m")).up();
        producer = Clients.producer(cluster.namesrvAddr());
    }

    @AfterAll
    void down() {
        if (failoverConsumer != null) {
            failoverConsumer.close();
        }
        if (producer != null) {
            producer.shutdown();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private List<SendResult> send(String topic, String keyPrefix, int count) throws Exception {
        List<SendResult> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message m = new Message(topic, "e2e", keyPrefix + i, ("body " + keyPrefix + i).getBytes(StandardCharsets.UTF_8));
            SendResult r = producer.send(m);
            assertThat(r.getSendStatus()).as("send %s%d", keyPrefix, i).isEqualTo(SendStatus.SEND_OK);
            results.add(r);
        }
        return results;
    }

    private static Set<String> keys(String prefix, int count) {
        Set<String> keys = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            keys.add(prefix + i);
        }
        return keys;
    }

    @Test
    @Order(1)
    void hostClientGetsPublishedAddressesAndSendsAndReceives() throws Exception {
        send("E2eHost", "host-", 20);
        TopicRouteData route = producer.getDefaultMQProducerImpl().getmQClientFactory().getMQClientAPIImpl()
                .getTopicRouteInfoFromNameServer("E2eHost", 5000);
        BrokerData brokerA = route.getBrokerDatas().get(0);
        assertThat(brokerA.getBrokerAddrs()).containsEntry(0L, "127.0.0.1:" + cluster.masterPort)
                .containsEntry(1L, "127.0.0.1:" + cluster.slavePort);
        try (Clients.Recorder c = new Clients.Recorder(cluster.namesrvAddr(), "e2e_host", "E2eHost", 0)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> c.distinct() == 20);
            assertThat(c.seen.keySet()).isEqualTo(keys("host-", 20));
        }
    }

    @Test
    @Order(2)
    void clientOnTheComposeNetworkUsesServiceNames() throws Exception {
        String ns = "namesrv-1:9876;namesrv-2:9876";
        Docker.Result sent = runClient("send", "-n", ns, "-t", "E2eNetwork", "-m", "from the compose network", "--count", "5");
        assertThat(sent.exitCode()).as(sent.out()).isZero();
        assertThat(sent.out()).contains("sendStatus=SEND_OK").contains("brokerName=broker-a");
        Docker.Result received = runClient("receive", "-n", ns, "-t", "E2eNetwork", "--count", "5", "--timeout", "60");
        assertThat(received.exitCode()).as(received.out()).isZero();
        // and what the network client sent reaches a client on the host
        try (Clients.Recorder c = new Clients.Recorder(cluster.namesrvAddr(), "e2e_from_network", "E2eNetwork", 0)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> c.deliveries.get() >= 5);
        }
        // the in-network client also reads what the host sent, through the nameservers' internal port
        Docker.Result hostMessages = runClient("receive", "-n", ns, "-t", "E2eHost", "--count", "20", "--timeout", "60");
        assertThat(hostMessages.exitCode()).as(hostMessages.out()).isZero();
    }

    /** bin/mqclient in a container of the rocketcluster-client image (same base image) on the compose network. */
    private Docker.Result runClient(String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker", "run", "--rm", "--label", "io.rocketcluster.e2e=true",
                "--network", cluster.network(), "--memory", "512m", "rocketcluster-client:" + Docker.TAG));
        cmd.addAll(List.of(args));
        return Docker.run(Map.of(), 180, cmd);
    }

    @Test
    @Order(3)
    void masterKilledConsumptionContinuesFromTheSlaveWithoutLoss() throws Exception {
        int n = 300;
        send("E2eFailover", "fo-", n);
        // ASYNC_MASTER: a send is acknowledged before the slave has it; no loss means no loss of what
        // the slave holds, so wait until it holds everything, as an operator would before maintenance
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            long master = cluster.commitlogMaxOffset(cluster.masterPort);
            return master > 0 && cluster.commitlogMaxOffset(cluster.slavePort) == master;
        });
        failoverConsumer = new Clients.Recorder(cluster.namesrvAddr(), "e2e_failover", "E2eFailover", 20);
        await().atMost(Duration.ofSeconds(60)).until(() -> failoverConsumer.distinct() >= 30);
        int beforeKill = failoverConsumer.distinct();
        cluster.kill("broker-a-master");
        ComposeCluster.log("master killed after " + beforeKill + " of " + n + " messages were consumed");
        assertThat(cluster.inspect("broker-a-master", "{{.State.Running}}")).isEqualTo("false");

        await().atMost(Duration.ofSeconds(120)).until(() -> failoverConsumer.distinct() == n);
        assertThat(failoverConsumer.seen.keySet()).isEqualTo(keys("fo-", n));
        assertThat(cluster.inspect("broker-a-master", "{{.State.Running}}")).as("master stayed down").isEqualTo("false");
        ComposeCluster.log("all " + n + " consumed with the master down; " + (n - beforeKill) + " from the slave, "
                + failoverConsumer.duplicates() + " redelivered");
    }

    @Test
    @Order(4)
    void restartedMasterCatchesUpAndServes() throws Exception {
        long slaveEnd = cluster.commitlogMaxOffset(cluster.slavePort);
        cluster.start("broker-a-master");
        cluster.awaitHealthy("broker-a-master", Duration.ofSeconds(120));
        assertThat(cluster.commitlogMaxOffset(cluster.masterPort)).as("the master kept its log").isGreaterThanOrEqualTo(slaveEnd);
        int m = 50;
        long duplicatesBefore = failoverConsumer.duplicates();
        // sends go to the master again once the producer's route has it (refreshed every second)
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            SendResult r = producer.send(new Message("E2eFailover", "e2e", "probe", "probe".getBytes(StandardCharsets.UTF_8)));
            return r.getSendStatus() == SendStatus.SEND_OK;
        });
        send("E2eFailover", "after-", m);
        await().atMost(Duration.ofSeconds(90)).until(() -> keys("after-", m).stream().allMatch(failoverConsumer.seen::containsKey));
        // replication resumed: the slave holds everything the master has
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            long master = cluster.commitlogMaxOffset(cluster.masterPort);
            return master > 0 && cluster.commitlogMaxOffset(cluster.slavePort) == master;
        });
        long redelivered = failoverConsumer.duplicates() - duplicatesBefore;
        ComposeCluster.log("after the restart: " + m + " new messages consumed; " + redelivered
                + " earlier ones redelivered (offsets committed on the slave were handed back)");
        assertThat(redelivered).as("offsets committed on the slave survive the master's return").isLessThan(300);
    }

    @Test
    @Order(5)
    void brokerWithA512MiBLimitSurvivesSustainedLoad() throws Exception {
        assertThat(cluster.inspect("broker-a-master", "{{.HostConfig.Memory}}")).isEqualTo(String.valueOf(512L << 20));
        String startedAt = cluster.inspect("broker-a-master", "{{.State.StartedAt}}");
        int seconds = Integer.getInteger("rocketcluster.e2e.loadSeconds", 45);
        byte[] body = new byte[4096];
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Clients.Recorder consumer = new Clients.Recorder(cluster.namesrvAddr(), "e2e_load", "E2eLoad", 0)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    long i = 0;
                    while (System.nanoTime() < deadline && i < 250_000) {
                        try {
                            Message msg = new Message("E2eLoad", "load", "load-" + thread + "-" + i, body);
                            if (producer.send(msg).getSendStatus() == SendStatus.SEND_OK) {
                                sent.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                        i++;
                    }
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
            ComposeCluster.log("load: " + sent.get() + " messages of 4 KiB sent in " + seconds + " s ("
                    + sent.get() / seconds + "/s), " + failed.get() + " failed; " + memoryReport());
            await().atMost(Duration.ofSeconds(180)).until(() -> consumer.distinct() >= sent.get());
        } finally {
            pool.shutdownNow();
        }
        assertThat(cluster.inspect("broker-a-master", "{{.State.OOMKilled}}")).isEqualTo("false");
        assertThat(cluster.inspect("broker-a-master", "{{.State.Running}}")).isEqualTo("true");
        assertThat(cluster.inspect("broker-a-master", "{{.State.StartedAt}}")).as("not restarted").isEqualTo(startedAt);
        assertThat(cluster.inspect("broker-a-master", "{{.RestartCount}}")).isEqualTo("0");
        assertThat(sent.get()).isPositive();
        assertThat(failed.get()).as("sends refused or failed").isLessThanOrEqualTo(sent.get() / 1000);
    }

    /** The master container's memory use and peak from the host's cgroup v1 files, when they are there. */
    private String memoryReport() {
        String id = cluster.containerId("broker-a-master");
        Path cg = Path.of("/sys/fs/cgroup/memory/docker", id);
        try {
            long usage = Long.parseLong(Files.readString(cg.resolve("memory.usage_in_bytes")).trim());
            long peak = Long.parseLong(Files.readString(cg.resolve("memory.max_usage_in_bytes")).trim());
            String stat = Files.readString(cg.resolve("memory.stat"));
            long rss = 0;
            for (String line : stat.split("\n")) {
                if (line.startsWith("total_rss ")) {
                    rss = Long.parseLong(line.substring(10).trim());
                }
            }
            return "master memory (limit 512 MiB): usage " + (usage >> 20) + " MiB, peak " + (peak >> 20)
                    + " MiB (page cache included), anonymous " + (rss >> 20) + " MiB";
        } catch (Exception e) {
            return "master memory: " + Docker.firstLine(Docker.docker(30, "stats", "--no-stream", "--format",
                    "{{.MemUsage}}", id).out());
        }
    }
}
