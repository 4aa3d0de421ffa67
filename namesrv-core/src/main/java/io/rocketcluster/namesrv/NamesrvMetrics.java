package io.rocketcluster.namesrv;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.rocketcluster.namesrv.route.RouteInfoManager;

/**
 * A name server's own gauges, read from the route tables at scrape time:
 * {@code rocketcluster_namesrv_live_brokers} (registered broker addresses, masters and slaves),
 * {@code rocketcluster_namesrv_broker_groups}, {@code rocketcluster_namesrv_clusters} and
 * {@code rocketcluster_namesrv_topics}. Request latency and the JVM are added by
 * {@link io.rocketcluster.remoting.metrics.RequestMetrics} and the metrics server.
 */
final class NamesrvMetrics {
    private NamesrvMetrics() {
    }

    static void register(PrometheusRegistry registry, RouteInfoManager routes) {
        GaugeWithCallback.builder().name("rocketcluster_namesrv_live_brokers")
                .help("Live broker addresses (masters and slaves) registered with this name server")
                .callback(cb -> cb.call(routes.clusterInfo().brokerAddrTable.values().stream()
                        .mapToInt(b -> b.brokerAddrs.size()).sum()))
                .register(registry);
        GaugeWithCallback.builder().name("rocketcluster_namesrv_broker_groups")
                .help("Broker names (master/slave groups) known")
                .callback(cb -> cb.call(routes.clusterInfo().brokerAddrTable.size()))
                .register(registry);
        GaugeWithCallback.builder().name("rocketcluster_namesrv_clusters")
                .help("Clusters known").callback(cb -> cb.call(routes.clusterInfo().clusterAddrTable.size()))
                .register(registry);
        GaugeWithCallback.builder().name("rocketcluster_namesrv_topics")
                .help("Topics with queue data").callback(cb -> cb.call(routes.allTopicList().topicList.size()))
                .register(registry);
    }
}
