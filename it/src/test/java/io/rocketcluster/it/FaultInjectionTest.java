package io.rocketcluster.it;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.client.impl.CommunicationMode;
import org.apache.rocketmq.client.impl.consumer.PullResultExt;
import org.apache.rocketmq.client.impl.factory.MQClientInstance;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.protocol.header.PullMessageRequestHeader;
import org.apache.rocketmq.common.sysflag.PullSysFlag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fault-injection suite (docs/replication.md §10): a master and a slave in each replication and flush
 * mode, the official client producing and consuming throughout through TCP fault proxies, and a schedule of
 * faults in a seeded random order: delays, partitions, resets and half-open connections on the replication
 * link and between clients and brokers, SIGSTOP pauses of either broker, kill -9 of either at a random
 * moment, a slave restarted on an empty volume, and the brokers' clocks jumping. Every send's answer is
 * recorded ({@link History}); afterwards the checker reads both brokers and the consumer's deliveries:
 * every message acknowledged under the mode's promise is there, nothing appears that was never sent, no
 * body is altered; duplicates are counted and reported. The run ends with the master lost (kill -9, then
 * back on an empty volume): the slave keeps what the mode promised and refuses the empty master, which
 * refuses writes.
 *
 * <p>In CI each fault runs once per mode. By hand, {@code -Drocketcluster.faults.rounds=N} repeats the
 * schedule N times in new random orders, {@code -Drocketcluster.faults.seed=S} replays an order and
 * {@code -Drocketcluster.faults.modes=SYNC_MASTER_ASYNC_FLUSH,...} picks modes.
 */
class FaultInjectionTest {
    private static final String GROUP_PREFIX = "faults_cg";
    private static final Duration SETTLE = Duration.ofSeconds(90);

    enum Mode {
        ASYNC_MASTER_ASYNC_FLUSH("ASYNC_MASTER", "ASYNC_FLUSH"),
        ASYNC_MASTER_SYNC_FLUSH("ASYNC_MASTER", "SYNC_FLUSH"),
        SYNC_MASTER_ASYNC_FLUSH("SYNC_MASTER", "ASYNC_FLUSH"),
        SYNC_MASTER_SYNC_FLUSH("SYNC_MASTER", "SYNC_FLUSH");

        final String role;
        final String flush;

        Mode(String role, String flush) {
            this.role = role;
            this.flush = flush;
        }

        boolean syncReplication() {
            return role.equals("SYNC_MASTER");
        }
    }

    private LocalCluster cluster;
    private final List<AutoCloseable> closers = new ArrayList<>();
    private final List<Object> clients = new ArrayList<>();
    private LocalCluster.BrokerNode master;
    private LocalCluster.BrokerNode slave;
    private FaultProxy haProxy;
    private FaultProxy toMaster;
    private FaultProxy toSlave;
    private Path masterSkew;
    private Path slaveSkew;
    private final History history = new History();
    private final Map<String, Integer> consumed = new ConcurrentHashMap<>();
    private Random random;

    @AfterEach
    void stop() throws Exception {
        for (LocalCluster.BrokerNode b : new LocalCluster.BrokerNode[]{master, slave}) {
            if (b != null && b.isAlive()) {
                b.resume(); // a paused broker must not outlive the test
            }
        }
        Clients.shutdownAll(clients);
        for (AutoCloseable c : closers) {
            c.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Every mode, or those named by {@code -Drocketcluster.faults.modes=A,B} (runs by hand). */
    static List<Mode> modes() {
        String only = System.getProperty("rocketcluster.faults.modes", "");
        return only.isBlank() ? List.of(Mode.values())
                : java.util.Arrays.stream(only.split(",")).map(String::trim).map(Mode::valueOf).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void everyAcknowledgedMessageSurvivesTheFaults(Mode mode) throws Exception {
        long seed = Long.getLong("rocketcluster.faults.seed", System.nanoTime());
        int rounds = Integer.getInteger("rocketcluster.faults.rounds", 1);
        random = new Random(seed);
        log(mode + ": seed " + seed + " (-Drocketcluster.faults.seed to replay), " + rounds + " round(s)");
        startCluster(mode);
        String topic = Clients.unique("Faults");
        String group = Clients.unique(GROUP_PREFIX);
        DefaultMQProducer producer = producer();
        startConsumer(group, topic);
        Producing producing = new Producing(producer, topic);

        List<Fault> faults = List.of(Fault.values());
        for (int round = 0; round < rounds; round++) {
            List<Fault> order = new ArrayList<>(faults);
            Collections.shuffle(order, random);
            for (Fault f : order) {
                log(mode + ": fault " + f + " (" + history.size() + " sends so far)");
                f.inject(this);
                awaitSendsAcknowledged(producing);
            }
        }
        producing.stop();
        log(mode + ": sends " + history.counts());

        // after the faults: the consumer got every acknowledged message, and both brokers hold them
        Set<String> acked = history.acked();
        await("the consumer receives every acknowledged message").atMost(SETTLE)
                .until(() -> consumed.keySet().containsAll(acked));
        assertThat(consumed.keySet()).as("consumed but never sent").isSubsetOf(sentKeys());
        long duplicateDeliveries = consumed.values().stream().mapToInt(n -> n - 1).sum();
        log(mode + ": consumer received " + consumed.size() + " distinct messages, " + duplicateDeliveries
                + " redeliveries");
        MQClientInstance raw = rawClient();
        int queues = producer.fetchPublishMessageQueues(topic).size();
        History.Report onMaster = history.check("master", read(raw, master, topic, queues, group), acked);
        log(mode + ": " + onMaster);
        assertThat(onMaster.problems()).isEmpty();
        await("the slave catches up").atMost(SETTLE).untilAsserted(() -> assertThat(
                ReplicationTest.maxOffsets(raw, slave.addr(), topic, queues))
                .containsExactly(ReplicationTest.maxOffsets(raw, master.addr(), topic, queues)));
        History.Report onSlave = history.check("slave", read(raw, slave, topic, queues, group), acked);
        log(mode + ": " + onSlave);
        assertThat(onSlave.problems()).isEmpty();

        masterLost(mode, producer, raw, topic, queues, group);
    }

    /**
     * The master dies at a random moment during sends. SYNC_MASTER: the slave holds every acknowledged
     * message. ASYNC_MASTER: it may miss only the replication lag, messages acknowledged in the last moments.
     * Then the master is back on an empty volume: the slave keeps everything, refuses to follow it, and the
     * master refuses writes (docs/replication.md §9).
     */
    private void masterLost(Mode mode, DefaultMQProducer producer, MQClientInstance raw, String topic, int queues,
                            String group) throws Exception {
        Producing producing = new Producing(producer, topic);
        Thread.sleep(500 + random.nextInt(1500));
        long killedAt = System.nanoTime();
        master.kill9();
        producing.stop();
        log(mode + ": master killed; sends " + history.counts());
        Set<String> acked = history.acked();
        Set<String> promised = mode.syncReplication() ? acked
                : history.ackedBy(killedAt - TimeUnit.SECONDS.toNanos(2));
        Map<String, List<byte[]>> slaveHeld = read(raw, slave, topic, queues, group);
        History.Report onSlave = history.check("slave without its master", slaveHeld, promised);
        Set<String> lagged = new TreeSet<>(acked);
        lagged.removeAll(slaveHeld.keySet());
        log(mode + ": " + onSlave + "; " + lagged.size() + " acknowledged in the replication lag are only on the lost master");
        assertThat(onSlave.problems()).isEmpty();

        master.wipeStore();
        master.start();
        await("the slave refuses the empty master").atMost(SETTLE).until(() -> ObservabilityTest.sample(
                ObservabilityTest.get(slave.metricsPort(), "/metrics").body(), "rocketcluster_ha_slave_refusing") == 1.0);
        await("the empty master refuses writes").atMost(SETTLE).until(() -> ObservabilityTest.sample(
                ObservabilityTest.get(master.metricsPort(), "/metrics").body(), "rocketcluster_ha_write_fenced") == 1.0);
        History.Report still = history.check("slave beside an empty master", read(raw, slave, topic, queues, group),
                slaveHeld.keySet());
        log(mode + ": " + still);
        assertThat(still.problems()).isEmpty();
    }

    /** The faults, each injected and healed by {@link #inject}. */
    enum Fault {
        REPLICATION_DELAY {
            @Override
            void inject(FaultInjectionTest t) throws Exception {
                t.haProxy.delay(Duration.ofMillis(150));
                t.pause(2_000);
                t.haProxy.delay(Duration.ZERO);
            }
        },
        REPLICATION_PARTITION {
            @Override
            void inject(FaultInjectionTest t) throws Exception {
                t.haProxy.partition();
                t.pause(3_000);
                t.haProxy.heal();
            }
        },
        REPLICATION_RESET {
            @Override
            void inject(FaultInjectionTest t) throws Exception {
                int before = t.haProxy.accepted();
                t.haProxy.reset();
                await("the slave reconnects after a reset").atMost(Duration.ofSeconds(30))
                        .until(() -> t.haProxy.accepted() > before);
            }
        },
        REPLICATION_HALF_OPEN {
            @Override
            void inject(FaultInjectionTest t) throws Exception {
                int before = t.haProxy.accepted();
                t.haProxy.halfOpen();
                // the slave hears nothing more on its connection: it must notice on its own and reconnect
                await("the slave notices a half-open link").atMost(Duration.ofSeconds(30))
                        .until(() -> t.haProxy.accepted() > before);
            }
        },
        CLIENT_PARTITION {
            @Override
            void inject(FaultInjectionTest t) throws Exception {
                t.toMaster.partition();
                t.toSlave.partition();
                t.pause(3_000);
                t.toMaster.heal();
                t.toSlave.heal();
            }
        },
        CLIENT_RESET {
            @Override
            void inject(FaultInjectionTest t) throws Exception {
                t.toMaster.reset();
                t.toSlave.reset();
                t.pause(500);
                t.toMaster.halfOpen();
                t.pause(1_000);
                t.toMaster.reset();
            }
        },
        PAUSE_MASTER {
            @Override
            void inject(FaultInjectionTest t) throws Exception {
                t.master.pause();
                t.pause(3_000);
                t.master.resume();
            }
        },
        PAUSE_SLAVE {
            @Override
            void inject(FaultInjectionTest t) throws Exception {
                t.slave.pause();
                t.pause(3_000);
                t.slave.resume();
            }
        },
        CLOCKS_JUMP {
            @Override
            void inject(FaultInjectionTest t) throws Exception {
                await("the slave is replicating").atMost(SETTLE).ignoreExceptions().until(() ->
                        ObservabilityTest.get(t.slave.metricsPort(), "/health/ready").status() == 200);
                int links = t.haProxy.accepted();
                SkewedClock.set(t.masterSkew, 90_000);
                SkewedClock.set(t.slaveSkew, -90_000);
                t.pause(2_000);
                SkewedClock.set(t.masterSkew, -60_000);
                t.pause(3_000);
                SkewedClock.set(t.masterSkew, 0);
                SkewedClock.set(t.slaveSkew, 0);
                // heartbeats and timeouts run on a monotonic clock: the jumps cost the link nothing
                assertThat(t.haProxy.accepted()).as("replication connections opened during the jumps").isEqualTo(links);
                assertThat(ObservabilityTest.get(t.slave.metricsPort(), "/health/ready").status()).isEqualTo(200);
            }
        },
        KILL_SLAVE {
            @Override
            void inject(FaultInjectionTest t) throws Exception {
                t.pause(t.random.nextInt(1_000));
                t.slave.kill9();
                t.slave.start();
            }
        },
        KILL_MASTER {
            @Override
            void inject(FaultInjectionTest t) throws Exception {
                t.pause(t.random.nextInt(1_000));
                t.master.kill9();
                t.master.start();
            }
        },
        SLAVE_EMPTY_VOLUME {
            @Override
            void inject(FaultInjectionTest t) throws Exception {
                t.pause(t.random.nextInt(1_000));
                t.slave.kill9();
                t.slave.wipeStore();
                t.slave.start();
            }
        };

        abstract void inject(FaultInjectionTest t) throws Exception;
    }

    /** Lets the faulty state last while the producer and consumer keep working. */
    private void pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    /** After a fault is healed, sends are acknowledged again before the next fault starts. */
    private void awaitSendsAcknowledged(Producing producing) {
        int before = history.acked().size();
        await("sends are acknowledged again").atMost(SETTLE).until(() -> history.acked().size() >= before + 20
                && producing.alive());
    }

    private void startCluster(Mode mode) throws Exception {
        cluster = new LocalCluster("faults-" + mode.name().toLowerCase());
        cluster.startNamesrv();
        Path itClasses = Path.of(SkewedClock.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        masterSkew = cluster.work().resolve("master.skew");
        slaveSkew = cluster.work().resolve("slave.skew");
        Map<String, String> common = Map.of(
                "flushDiskType", mode.flush,
                "syncFlushTimeout", "2000",
                "haSendHeartbeatInterval", "1000",
                "haHousekeepingInterval", "4000");
        master = cluster.broker("broker-f", 0, with(common, Map.of("brokerRole", mode.role)));
        haProxy = closing(FaultProxy.to(master.port() + 1));
        slave = cluster.broker("broker-f", 1, with(common, Map.of("brokerRole", "SLAVE",
                "haMasterAddress", haProxy.addr())));
        master.withJvm(clockOptions(masterSkew), itClasses).start();
        slave.withJvm(clockOptions(slaveSkew), itClasses).start();
        toMaster = closing(FaultProxy.to(master.port()));
        toSlave = closing(FaultProxy.to(slave.port()));
    }

    private static List<String> clockOptions(Path skewFile) {
        return List.of("-Drocketcluster.faultInjection.clock=" + SkewedClock.class.getName(),
                "-D" + SkewedClock.FILE + "=" + skewFile);
    }

    private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new java.util.HashMap<>(a);
        m.putAll(b);
        return m;
    }

    private <T extends AutoCloseable> T closing(T c) {
        closers.add(c);
        return c;
    }

    /**
     * The clients' nameserver: a proxy that rewrites the brokers' addresses in routes to their proxies, so
     * the official client reaches the brokers only through {@link #toMaster} and {@link #toSlave}.
     */
    private String clientNamesrv() throws Exception {
        int namesrvPort = Integer.parseInt(cluster.namesrvAddr().substring(cluster.namesrvAddr().lastIndexOf(':') + 1));
        FaultProxy routes = closing(FaultProxy.rewriting(namesrvPort, Map.of(
                master.addr(), toMaster.addr(),
                slave.addr(), toSlave.addr())));
        return routes.addr();
    }

    private DefaultMQProducer producer() throws Exception {
        DefaultMQProducer p = new DefaultMQProducer(Clients.unique("faults_pg"));
        p.setNamesrvAddr(clientNamesrv());
        p.setInstanceName(Clients.unique("faults_p"));
        p.setVipChannelEnabled(false);
        p.setSendMsgTimeout(4000);
        p.start();
        clients.add(p);
        return p;
    }

    private void startConsumer(String group, String topic) throws Exception {
        DefaultMQPushConsumer c = Clients.pushConsumer(clientNamesrv(), group, topic, "*",
                m -> consumed.merge(m.getKeys(), 1, Integer::sum));
        c.setVipChannelEnabled(false);
        clients.add(c);
        c.start();
    }

    private MQClientInstance rawClient() throws Exception {
        MQClientInstance raw = ReplicationTest.rawClient(cluster.namesrvAddr());
        raw.start();
        closers.add(raw::shutdown);
        return raw;
    }

    /** Every message of the topic on one broker, read directly with the official client's pull and decoder. */
    private static Map<String, List<byte[]>> read(MQClientInstance raw, LocalCluster.BrokerNode broker, String topic,
                                                  int queues, String group) {
        List<Map.Entry<String, byte[]>> all = new ArrayList<>();
        // a slave learns the consumer group from its master within seconds of (re)starting
        await("reading " + broker.addr()).atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            all.clear();
            for (int q = 0; q < queues; q++) {
                readQueue(raw, broker.addr(), topic, q, group, all);
            }
        });
        return History.byKey(all);
    }

    private static void readQueue(MQClientInstance raw, String addr, String topic, int queueId, String group,
                                  List<Map.Entry<String, byte[]>> into) throws Exception {
        long offset = 0;
        while (true) {
            PullMessageRequestHeader h = new PullMessageRequestHeader();
            h.setConsumerGroup(group);
            h.setTopic(topic);
            h.setQueueId(queueId);
            h.setQueueOffset(offset);
            h.setMaxMsgNums(256);
            h.setSysFlag(PullSysFlag.buildSysFlag(false, false, true, false));
            h.setCommitOffset(0L);
            h.setSuspendTimeoutMillis(0L);
            h.setSubscription("*");
            h.setSubVersion(0L);
            h.setExpressionType("TAG");
            PullResult r = raw.getMQClientAPIImpl().pullMessage(addr, h, 10_000, CommunicationMode.SYNC, null);
            if (r.getPullStatus() != PullStatus.FOUND) {
                assertThat(r.getPullStatus()).as("end of queue " + queueId + " on " + addr)
                        .isEqualTo(PullStatus.NO_NEW_MSG);
                return;
            }
            List<MessageExt> found = MessageDecoder.decodes(ByteBuffer.wrap(((PullResultExt) r).getMessageBinary()));
            for (MessageExt m : found) {
                into.add(new AbstractMap.SimpleEntry<>(m.getKeys(), m.getBody()));
            }
            offset = r.getNextBeginOffset();
        }
    }

    private Set<String> sentKeys() {
        Set<String> keys = new TreeSet<>();
        for (int i = 0; i < history.size(); i++) {
            keys.add(key(i));
        }
        return keys;
    }

    private static String key(int i) {
        return "k-" + i;
    }

    private static void log(String line) {
        System.out.println("[faults] " + line);
    }

    /** One thread sending with the official producer, every answer recorded; runs until {@link #stop}. */
    private final class Producing {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Producing(DefaultMQProducer producer, String topic) {
            thread = new Thread(() -> {
                while (running.get()) {
                    String key = key(history.size());
                    history.attempt(key);
                    try {
                        SendResult r = producer.send(new Message(topic, "T", key, History.body(key)));
                        history.answered(key, r);
                    } catch (Exception e) {
                        history.failed(key, e);
                        sleepQuietly(50);
                    }
                    sleepQuietly(2);
                }
            }, "faults-producer");
            thread.setDaemon(true);
            thread.start();
        }

        boolean alive() {
            return thread.isAlive();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(thread.isAlive()).as("the producer thread ends").isFalse();
        }

        private void sleepQuietly(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.set(false);
            }
        }
    }
}
