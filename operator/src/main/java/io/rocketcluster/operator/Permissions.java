package io.rocketcluster.operator;

import java.util.List;

/**
 * The Kubernetes API access the operator needs, and nothing more. The Helm chart's ClusterRole is
 * tested against this list, and this list against what the reconciler writes, so the two cannot
 * drift apart.
 */
public final class Permissions {
    /** One RBAC rule: API group ("" = core), resource, verbs. */
    public record Rule(String apiGroup, String resource, List<String> verbs) {
    }

    private static final List<String> READ = List.of("get", "list", "watch");
    private static final List<String> OWN = List.of("get", "list", "watch", "create", "update", "patch", "delete");

    /** Cluster-wide: one operator serves RocketClusters in every namespace. */
    public static final List<Rule> CLUSTER_RULES = List.of(
            new Rule("rocketcluster.io", "rocketclusters", List.of("get", "list", "watch", "patch", "update")),
            new Rule("rocketcluster.io", "rocketclusters/status", List.of("get", "patch", "update")),
            new Rule("apps", "deployments", OWN),
            new Rule("apps", "statefulsets", OWN),
            new Rule("", "services", OWN),
            new Rule("", "configmaps", OWN),
            new Rule("policy", "poddisruptionbudgets", OWN),
            // store volumes: grown in place when spec.broker.storage.size grows (never created or deleted)
            new Rule("", "persistentvolumeclaims", List.of("get", "patch")),
            new Rule("", "events", List.of("create", "patch")));

    /** In the operator's own namespace: the leader-election Lease. */
    public static final List<Rule> NAMESPACE_RULES = List.of(
            new Rule("coordination.k8s.io", "leases", List.of("get", "list", "watch", "create", "update", "patch")));

    /** Resources the reconciler writes, as {@code apiGroup/resource} (core: {@code /resource}). */
    public static List<String> written() {
        return CLUSTER_RULES.stream().filter(r -> r.verbs().contains("create") || r.verbs().contains("patch"))
                .map(r -> r.apiGroup() + "/" + r.resource()).toList();
    }

    private Permissions() {
    }
}
