package io.rocketcluster.broker.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.rocketcluster.broker.ha.HaClient;
import io.rocketcluster.broker.ha.HaServer;
import io.rocketcluster.broker.offset.ConsumerOffsetManager;
import io.rocketcluster.broker.store.MessageStore;
import io.rocketcluster.remoting.metrics.RequestMetrics;

import java.util.Map;
import java.util.function.Supplier;

/**
 * A broker's Prometheus metrics, all named {@code rocketcluster_*}:
 * <ul>
 *   <li>{@code messages_in_total}, {@code bytes_in_total} by {@code topic}: stored by sends (bytes are
 *       stored record bytes);</li>
 *   <li>{@code messages_out_total}, {@code bytes_out_total} by {@code topic} and {@code group}: delivered by pulls;</li>
 *   <li>{@code consumer_lag_messages} by {@code group} and {@code topic}: sum over the group's committed
 *       queues of max offset − committed offset, computed at scrape time;</li>
 *   <li>{@code commitlog_size_bytes} (max − min offset), {@code commitlog_min_offset},
 *       {@code commitlog_max_offset}, {@code dispatch_behind_bytes}, {@code disk_used_ratio};</li>
 *   <li>master: {@code replication_lag_bytes} (the best slave's distance from the commitlog end) and
 *       {@code ha_connected_slaves}; slave: {@code ha_master_connected} (0/1);</li>
 *   <li>{@code broker_info} (1, with cluster, broker, broker_id and role labels), request latency per
 *       request code ({@link RequestMetrics}) and the JVM's metrics (added when the HTTP port starts).</li>
 * </ul>
 * Topics and groups are client-created, so each label takes at most {@code metricsMaxLabelValues}
 * distinct values ({@link LabelBudget}); later ones are counted under {@code _other}.
 *
 * <p>Thread-safe: counters are updated by request threads, gauges read live state when scraped.
 */
public final class BrokerMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final RequestMetrics requests = new RequestMetrics(registry);
    private final Counter messagesIn;
    private final Counter bytesIn;
    private final Counter messagesOut;
    private final Counter bytesOut;
    private final LabelBudget topics;
    private final LabelBudget groups;

    /** What the gauges read when scraped; the HA parts may be null (not started, or other role). */
    public record Sources(MessageStore store, ConsumerOffsetManager offsets, Supplier<HaServer> haServer,
                          Supplier<HaClient> haClient, String cluster, String broker, long brokerId, String role,
                          int maxLabelValues) {
    }

    public BrokerMetrics(Sources s) {
        this.topics = new LabelBudget(s.maxLabelValues());
        this.groups = new LabelBudget(s.maxLabelValues());
        messagesIn = Counter.builder().name("rocketcluster_messages_in_total")
                .help("Messages stored by sends, by topic").labelNames("topic").register(registry);
        bytesIn = Counter.builder().name("rocketcluster_bytes_in_total")
                .help("Stored record bytes of sends, by topic").labelNames("topic").register(registry);
        messagesOut = Counter.builder().name("rocketcluster_messages_out_total")
                .help("Messages delivered by pulls, by topic and consumer group").labelNames("topic", "group")
                .register(registry);
        bytesOut = Counter.builder().name("rocketcluster_bytes_out_total")
                .help("Record bytes delivered by pulls, by topic and consumer group").labelNames("topic", "group")
                .register(registry);
        GaugeWithCallback.builder().name("rocketcluster_consumer_lag_messages")
                .help("Messages not yet consumed: sum over the group's committed queues of max offset - committed offset")
                .labelNames("group", "topic")
                .callback(cb -> bounded(lag(s.store(), s.offsets())).forEach((k, v) -> cb.call(v, k.group(), k.topic())))
                .register(registry);
        GaugeWithCallback.builder().name("rocketcluster_commitlog_size_bytes")
                .help("Commitlog bytes held: max offset - min offset")
                .callback(cb -> cb.call(s.store().commitLogMaxOffset() - s.store().commitLogMinOffset()))
                .register(registry);
        GaugeWithCallback.builder().name("rocketcluster_commitlog_min_offset")
                .help("Smallest commitlog offset still held").callback(cb -> cb.call(s.store().commitLogMinOffset()))
                .register(registry);
        GaugeWithCallback.builder().name("rocketcluster_commitlog_max_offset")
                .help("Commitlog end offset").callback(cb -> cb.call(s.store().commitLogMaxOffset()))
                .register(registry);
        GaugeWithCallback.builder().name("rocketcluster_dispatch_behind_bytes")
                .help("Commitlog bytes not yet dispatched to consume queues")
                .callback(cb -> cb.call(s.store().dispatchBehindBytes())).register(registry);
        GaugeWithCallback.builder().name("rocketcluster_disk_used_ratio")
                .help("Used ratio (0..1) of the disk holding the commitlog")
                .callback(cb -> cb.call(s.store().diskUsedRatio())).register(registry);
        GaugeWithCallback.builder().name("rocketcluster_replication_lag_bytes")
                .help("Master: bytes the best slave is behind the commitlog end (all of it when no slave reported)")
                .callback(cb -> {
                    HaServer ha = s.haServer().get();
                    if (ha != null) {
                        cb.call(ha.replicationLagBytes());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("rocketcluster_ha_connected_slaves")
                .help("Master: slaves connected to the HA port")
                .callback(cb -> {
                    HaServer ha = s.haServer().get();
                    if (ha != null) {
                        cb.call(ha.connectedSlaves());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("rocketcluster_ha_master_connected")
                .help("Slave: 1 while the HA connection to the master is up")
                .callback(cb -> {
                    HaClient ha = s.haClient().get();
                    if (ha != null) {
                        cb.call(ha.isConnected() ? 1 : 0);
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("rocketcluster_ha_slave_refusing")
                .help("Slave: 1 while it refuses its master because the master's history is behind its own "
                        + "(replication.md §9.3); it keeps all its data")
                .callback(cb -> {
                    HaClient ha = s.haClient().get();
                    if (ha != null) {
                        cb.call(ha.refusal() != null ? 1 : 0);
                    }
                }).register(registry);
        CounterWithCallback.builder().name("rocketcluster_ha_divergent_tails_saved")
                .help("Slave: tails of an epoch its master had closed, saved under ha-divergent/ and cut off, since start")
                .callback(cb -> {
                    HaClient ha = s.haClient().get();
                    if (ha != null) {
                        cb.call(ha.savedTails());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("rocketcluster_ha_write_fenced")
                .help("Master: 1 while it refuses writes because a slave holds data its log lacks")
                .callback(cb -> {
                    HaServer ha = s.haServer().get();
                    if (ha != null) {
                        cb.call(ha.fence().isRaised() ? 1 : 0);
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("rocketcluster_store_writable")
                .help("1 while the store takes writes, 0 after an I/O failure (until restart)")
                .callback(cb -> cb.call(s.store().health().writeRefusal() == null ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("rocketcluster_store_io_failures")
                .help("Failed forces or writes since start")
                .callback(cb -> cb.call(s.store().health().ioFailures())).register(registry);
        GaugeWithCallback.builder().name("rocketcluster_store_dispatch_halted_offset")
                .help("Commitlog offset where dispatch halted on bytes that are not a record, -1 while it runs")
                .callback(cb -> cb.call(s.store().health().dispatchHaltedAt())).register(registry);
        GaugeWithCallback.builder().name("rocketcluster_store_corrupt_records")
                .help("Unparseable records the dispatcher met since start")
                .callback(cb -> cb.call(s.store().health().corruptRecords())).register(registry);
        GaugeWithCallback.builder().name("rocketcluster_store_threads_dead")
                .help("Supervised store threads (dispatch, flush, HA) that died since start")
                .callback(cb -> cb.call(s.store().health().deadThreads().size())).register(registry);
        GaugeWithCallback.builder().name("rocketcluster_broker_info")
                .help("This broker's identity").labelNames("cluster", "broker", "broker_id", "role")
                .callback(cb -> cb.call(1, s.cluster(), s.broker(), Long.toString(s.brokerId()), s.role()))
                .register(registry);
    }

    /** Key of a lag series. */
    record GroupTopic(String group, String topic) {
    }

    /** Lag per group and topic from the committed offsets ({@code topic@group} keys) and the queues' max offsets. */
    static Map<GroupTopic, Long> lag(MessageStore store, ConsumerOffsetManager offsets) {
        Map<GroupTopic, Long> out = new java.util.TreeMap<>(
                java.util.Comparator.comparing(GroupTopic::group).thenComparing(GroupTopic::topic));
        offsets.snapshot().offsetTable.forEach((key, queues) -> {
            int at = key.indexOf('@');
            if (at <= 0 || at == key.length() - 1) {
                return;
            }
            String topic = key.substring(0, at);
            String group = key.substring(at + 1);
            long lag = 0;
            for (Map.Entry<Integer, Long> q : queues.entrySet()) {
                lag += Math.max(0, store.maxOffset(topic, q.getKey()) - Math.max(0, q.getValue()));
            }
            out.merge(new GroupTopic(group, topic), lag, Long::sum);
        });
        return out;
    }

    /** The lag series with groups and topics past the label budget summed under {@code _other}. */
    private Map<GroupTopic, Long> bounded(Map<GroupTopic, Long> lag) {
        Map<GroupTopic, Long> out = new java.util.LinkedHashMap<>();
        lag.forEach((k, v) -> out.merge(new GroupTopic(groups.label(k.group()), topics.label(k.topic())), v, Long::sum));
        return out;
    }

    /** A send stored {@code messages} messages of {@code bytes} record bytes in {@code topic}. */
    public void messagesIn(String topic, int messages, long bytes) {
        String t = topics.label(topic);
        messagesIn.labelValues(t).inc(messages);
        bytesIn.labelValues(t).inc(bytes);
    }

    /** A pull delivered {@code messages} messages of {@code bytes} bytes of {@code topic} to {@code group}. */
    public void messagesOut(String topic, String group, int messages, long bytes) {
        String t = topics.label(topic);
        String g = groups.label(group);
        messagesOut.labelValues(t, g).inc(messages);
        bytesOut.labelValues(t, g).inc(bytes);
    }

    public RequestMetrics requests() {
        return requests;
    }

    public PrometheusRegistry registry() {
        return registry;
    }
}
