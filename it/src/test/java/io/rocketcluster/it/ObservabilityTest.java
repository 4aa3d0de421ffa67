package io.rocketcluster.it;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operations endpoints of real servers, scraped over HTTP as Prometheus and Kubernetes probes
 * would: readiness follows registration and the slave's HA connection, /metrics carries traffic per
 * topic and group, consumer lag, replication lag, request latency per code and the JVM; and a
 * SIGTERM'd master restarts without a recovery scan and with every acknowledged message.
 */
class ObservabilityTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LocalCluster cluster;
    private final List<Object> clients = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        Clients.shutdownAll(clients);
        if (cluster != null) {
            cluster.close();
        }
    }

    record Reply(int status, String body) {
    }

    static Reply get(int port, String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (Exception e) {
            return new Reply(-1, e.toString());
        }
    }

    /** The value of one sample line {@code name{labels} value} (labels in the exposition's order), or null. */
    static Double sample(String metrics, String nameAndLabels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(nameAndLabels) + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : null;
    }

    @Test
    void healthFollowsRegistrationAndHaAndMetricsDescribeTheTraffic() throws Exception {
        cluster = new LocalCluster("observability");
        int nsPort = LocalCluster.freeNamesrvPort();
        String ns = "127.0.0.1:" + nsPort;
        LocalCluster.BrokerNode master = cluster.broker("obs", 0, Map.of("namesrvAddr", ns, "brokerRole", "ASYNC_MASTER"));
        LocalCluster.BrokerNode slave = cluster.broker("obs", 1, Map.of("namesrvAddr", ns, "brokerRole", "SLAVE"));

        // a master whose nameserver is not up yet is alive but not ready
        master.start();
        assertThat(get(master.metricsPort(), "/health/live").status()).isEqualTo(200);
        Reply notReady = get(master.metricsPort(), "/health/ready");
        assertThat(notReady.status()).isEqualTo(503);
        assertThat(notReady.body()).contains("not registered");

        // it becomes ready once it registered (the periodic registration runs every 10 s)
        cluster.startNamesrv(nsPort);
        int nsMetrics = cluster.namesrvMetricsPorts().get(0);
        assertThat(get(nsMetrics, "/health/live").status()).isEqualTo(200);
        assertThat(get(nsMetrics, "/health/ready").status()).isEqualTo(200);
        await("master ready").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                .until(() -> get(master.metricsPort(), "/health/ready").status() == 200);

        // a slave is ready once registered and connected to its master's HA port
        slave.start();
        await("slave ready").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> get(slave.metricsPort(), "/health/ready").status() == 200);

        // traffic: 20 sends, a group consumes them all, then 5 more it has not consumed
        DefaultMQProducer producer = Clients.producer(cluster.namesrvAddr());
        clients.add(producer);
        String topic = Clients.unique("Obs");
        String group = Clients.unique("obsg");
        Set<String> acked = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 20; i++) {
            assertThat(producer.send(Clients.message(topic, "a", "k" + i)).getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            acked.add("k" + i);
        }
        List<MessageQueue> mqs = Clients.awaitRoute(producer, topic, 4);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        DefaultMQPushConsumer consumer = Clients.pushConsumer(cluster.namesrvAddr(), group, topic, "*",
                m -> seen.add(m.getKeys()));
        clients.add(consumer);
        consumer.start();
        await().atMost(Duration.ofSeconds(40)).until(() -> seen.containsAll(acked) && Clients.caughtUp(consumer, producer, mqs));
        consumer.shutdown(); // commits its offsets to the broker
        clients.remove(consumer);
        for (int i = 20; i < 25; i++) {
            assertThat(producer.send(Clients.message(topic, "a", "k" + i)).getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            acked.add("k" + i);
        }

        String m = get(master.metricsPort(), "/metrics").body();
        assertThat(sample(m, "rocketcluster_messages_in_total{topic=\"" + topic + "\"}")).isEqualTo(25.0);
        assertThat(sample(m, "rocketcluster_bytes_in_total{topic=\"" + topic + "\"}")).isGreaterThan(25.0 * 20);
        assertThat(sample(m, "rocketcluster_messages_out_total{group=\"" + group + "\",topic=\"" + topic + "\"}"))
                .isGreaterThanOrEqualTo(20.0);
        assertThat(sample(m, "rocketcluster_bytes_out_total{group=\"" + group + "\",topic=\"" + topic + "\"}"))
                .isGreaterThan(20.0 * 20);
        assertThat(sample(m, "rocketcluster_consumer_lag_messages{group=\"" + group + "\",topic=\"" + topic + "\"}"))
                .isEqualTo(5.0);
        assertThat(sample(m, "rocketcluster_commitlog_size_bytes")).isGreaterThan(0.0);
        assertThat(sample(m, "rocketcluster_disk_used_ratio")).isBetween(0.0, 1.0);
        assertThat(sample(m, "rocketcluster_request_latency_seconds_count{code=\"310\"}")).isGreaterThanOrEqualTo(25.0);
        assertThat(sample(m, "rocketcluster_request_latency_seconds_count{code=\"11\"}")).isGreaterThan(0.0);
        assertThat(m).contains("rocketcluster_request_latency_seconds_bucket{code=\"310\",le=\"+Inf\"}");
        assertThat(m).contains("jvm_memory_used_bytes{area=\"heap\"}");
        assertThat(sample(m, "rocketcluster_ha_connected_slaves")).isEqualTo(1.0);
        await("slave caught up").atMost(Duration.ofSeconds(20)).until(() ->
                sample(get(master.metricsPort(), "/metrics").body(), "rocketcluster_replication_lag_bytes") == 0.0);

        String s = get(slave.metricsPort(), "/metrics").body();
        assertThat(sample(s, "rocketcluster_ha_master_connected")).isEqualTo(1.0);
        assertThat(s).contains("rocketcluster_broker_info{broker=\"obs\",broker_id=\"1\",cluster=\"ItCluster\",role=\"SLAVE\"} 1.0");
        // every metric the chart's Grafana dashboard queries is one a master or a slave exposes
        String dashboard = Files.readString(Path.of(System.getProperty("rocketcluster.root", "../.."))
                .resolve("helm/rocketcluster-operator/dashboards/rocketcluster-brokers.json"));
        Set<String> queried = new java.util.TreeSet<>();
        Matcher names = Pattern.compile("rocketcluster_[a-z_]+").matcher(dashboard);
        while (names.find()) {
            queried.add(names.group());
        }
        assertThat(queried).hasSizeGreaterThan(10).allSatisfy(name -> assertThat(Pattern
                .compile("(?m)^" + name + "[{ ]").matcher(m + "\n" + s).find()).as(name + " on /metrics").isTrue());

        String n = get(nsMetrics, "/metrics").body();
        assertThat(sample(n, "rocketcluster_namesrv_live_brokers")).isEqualTo(2.0);
        assertThat(sample(n, "rocketcluster_namesrv_topics")).isGreaterThan(0.0);
        assertThat(sample(n, "rocketcluster_request_latency_seconds_count{code=\"103\"}")).isGreaterThan(0.0);
        assertThat(sample(n, "rocketcluster_request_latency_seconds_count{code=\"105\"}")).isGreaterThan(0.0);
        assertThat(n).contains("jvm_threads_current");

        // SIGTERM under a send load: the slave loses its HA connection and is no longer ready; the
        // master restarts without a recovery scan and has every acknowledged message
        AtomicBoolean load = new AtomicBoolean(true);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> sender = pool.submit(() -> {
            for (int i = 0; load.get(); i++) {
                try {
                    if (producer.send(Clients.message(topic, "b", "load" + i)).getSendStatus() == SendStatus.SEND_OK) {
                        acked.add("load" + i);
                    }
                } catch (Exception e) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
            }
            return null;
        });
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> acked.size() >= 60);
            master.stop();
            await("slave not ready without its master").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(250)).until(() -> {
                        Reply r = get(slave.metricsPort(), "/health/ready");
                        return r.status() == 503 && r.body().contains("HA connection");
                    });
            await("master unregistered").atMost(Duration.ofSeconds(10)).until(() ->
                    sample(get(nsMetrics, "/metrics").body(), "rocketcluster_namesrv_live_brokers") == 1.0);
            master.start();
        } finally {
            load.set(false);
            sender.get(60, TimeUnit.SECONDS);
            pool.shutdownNow();
        }
        String log = Files.readString(master.logFile());
        assertThat(log).contains("refusing new sends").contains("store " + master.storeDir() + " shut down cleanly")
                .contains("unregistered from nameserver " + ns);
        List<String> recoveries = new ArrayList<>(log.lines().filter(l -> l.contains("recovered (")).toList());
        assertThat(recoveries).hasSize(2);
        assertThat(recoveries.get(1)).contains("after a clean stop");
        await("slave ready again").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                .until(() -> get(slave.metricsPort(), "/health/ready").status() == 200);

        Set<String> all = ConcurrentHashMap.newKeySet();
        DefaultMQPushConsumer fresh = Clients.pushConsumer(cluster.namesrvAddr(), Clients.unique("obsg"), topic, "*",
                msg -> all.add(msg.getKeys()));
        clients.add(fresh);
        fresh.start();
        await("every acknowledged message after the restart").atMost(Duration.ofSeconds(60))
                .until(() -> all.containsAll(acked));
    }
}
