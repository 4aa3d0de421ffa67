package io.rocketcluster.operator;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.rocketcluster.operator.reconcile.RocketClusterReconciler;
import io.rocketcluster.operator.reconcile.WireBrokerAdmin;
import io.rocketcluster.remoting.metrics.MetricsServer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator process. Configured by environment (the Helm chart sets it):
 * <ul>
 *   <li>{@code WATCH_NAMESPACES}: comma-separated namespaces to serve; empty = every namespace;</li>
 *   <li>{@code LEADER_ELECTION_LEASE}: Lease name for leader election (empty = off), in
 *       {@code OPERATOR_NAMESPACE} (downward API);</li>
 *   <li>{@code METRICS_PORT} (8080): {@code /metrics}, {@code /health/live}, {@code /health/ready}.</li>
 * </ul>
 * The Kubernetes client configures itself: in-cluster service account, else KUBECONFIG / ~/.kube/config.
 */
public final class OperatorMain {
    private static final Logger LOG = LogManager.getLogger(OperatorMain.class);

    private OperatorMain() {
    }

    public static void main(String[] args) throws Exception {
        Set<String> namespaces = namespaces(System.getenv("WATCH_NAMESPACES"));
        String lease = env("LEADER_ELECTION_LEASE", "");
        String leaseNamespace = env("OPERATOR_NAMESPACE", "");
        int metricsPort = Integer.parseInt(env("METRICS_PORT", "8080"));

        WireBrokerAdmin admin = new WireBrokerAdmin();
        Operator operator = new Operator(o -> {
            if (!lease.isBlank()) {
                o.withLeaderElectionConfiguration(leaseNamespace.isBlank()
                        ? new LeaderElectionConfiguration(lease)
                        : new LeaderElectionConfiguration(lease, leaseNamespace));
            }
        });
        operator.register(new RocketClusterReconciler(admin, Duration.ofSeconds(30), Duration.ofMinutes(2)), c -> {
            if (!namespaces.isEmpty()) {
                c.settingNamespaces(namespaces);
            }
        });
        MetricsServer metrics = MetricsServer.start("operator", metricsPort, PrometheusRegistry.defaultRegistry,
                () -> notReadyReason(operator));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            metrics.close();
            admin.close();
        }, "operator-shutdown"));
        operator.installShutdownHook(Duration.ofSeconds(10));
        try {
            operator.start();
        } catch (RuntimeException e) {
            // without this the metrics server would keep the JVM alive, live but never ready
            LOG.error("cannot start: the Kubernetes API server {} is unreachable or refuses us ({}); the client"
                    + " configures itself from the in-cluster service account, else KUBECONFIG or ~/.kube/config",
                    operator.getKubernetesClient().getMasterUrl(), RocketClusterReconciler.rootMessage(e));
            System.exit(1);
        }
        LOG.info("RocketCluster operator started; namespaces: {}; leader election: {}",
                namespaces.isEmpty() ? "all" : namespaces, lease.isBlank() ? "off" : lease);
    }

    /**
     * Null when the operator serves: started, and its informers healthy. A standby replica (leader
     * election) is ready too, so that rolling the operator Deployment never waits for the leader.
     */
    public static String notReadyReason(Operator operator) {
        if (!operator.getRuntimeInfo().isStarted()) {
            return "operator starting";
        }
        return operator.getRuntimeInfo().allEventSourcesAreHealthy() ? null
                : "event sources unhealthy: " + operator.getRuntimeInfo().unhealthyEventSources().keySet();
    }

    static Set<String> namespaces(String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null ? dflt : v.trim();
    }
}
