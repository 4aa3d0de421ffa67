package io.rocketcluster.operator.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** Labels on every object the operator writes; the informers select on {@link #MANAGED_BY}. */
public final class Labels {
    public static final String MANAGED_BY_KEY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "rocketcluster-operator";
    public static final String MANAGED_BY = MANAGED_BY_KEY + "=" + MANAGED_BY_VALUE;
    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String CLUSTER = "rocketcluster.io/cluster";
    public static final String BROKER_GROUP = "rocketcluster.io/broker-group";
    public static final String BROKER_ID = "rocketcluster.io/broker-id";
    /** Pod annotation: hash of the pod's broker.conf, so a config change rolls the pod. */
    public static final String CONFIG_HASH = "rocketcluster.io/config-hash";

    private Labels() {
    }

    /** Labels selecting the pods of one component of one cluster (stable: used in selectors). */
    public static Map<String, String> selector(String cluster, String component) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(NAME, "rocketcluster");
        m.put(INSTANCE, cluster);
        m.put(COMPONENT, component);
        return m;
    }

    /** Selector of one broker group's pods. */
    public static Map<String, String> groupSelector(String cluster, int group) {
        Map<String, String> m = selector(cluster, "broker");
        m.put(BROKER_GROUP, Names.brokerName(group));
        return m;
    }

    /** Selector of one broker's pod. */
    public static Map<String, String> brokerSelector(String cluster, int group, int brokerId) {
        Map<String, String> m = groupSelector(cluster, group);
        m.put(BROKER_ID, Integer.toString(brokerId));
        return m;
    }

    /** Object labels: the selector plus the managed-by and cluster labels. */
    public static Map<String, String> of(String cluster, Map<String, String> selector) {
        Map<String, String> m = new LinkedHashMap<>(selector);
        m.put(MANAGED_BY_KEY, MANAGED_BY_VALUE);
        m.put(CLUSTER, cluster);
        return m;
    }
}
