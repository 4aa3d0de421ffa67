package io.rocketcluster.operator.model;

import io.rocketcluster.operator.crd.RocketCluster;

/**
 * Names and stable DNS addresses of everything the operator creates for one RocketCluster. Brokers are
 * addressed as {@code <statefulset>-0.<group service>.<namespace>.svc.<domain>}: the name survives pod
 * restarts and rescheduling, so the nameservers' routes and the slaves' replication links do too.
 */
public final class Names {
    public static final int NAMESRV_PORT = 9876;
    /** The nameserver's metrics/health port (listenPort + 1000). */
    public static final int NAMESRV_METRICS_PORT = 10876;
    /** The nameserver's port answering routes with the brokers' external addresses. */
    public static final int NAMESRV_EXTERNAL_PORT = 19876;
    public static final int BROKER_PORT = 10911;
    public static final int BROKER_FAST_PORT = BROKER_PORT - 2;
    public static final int BROKER_HA_PORT = BROKER_PORT + 1;
    public static final int BROKER_METRICS_PORT = BROKER_PORT + 4;
    /** Longest RocketCluster name: StatefulSet names must leave room for the revision-hash label (63). */
    public static final int MAX_CLUSTER_NAME = 30;

    private final String cluster;
    private final String namespace;
    private final String domain;

    public Names(RocketCluster cr) {
        this.cluster = cr.getMetadata().getName();
        this.namespace = cr.getMetadata().getNamespace();
        this.domain = cr.getSpec().getClusterDomain();
    }

    public String cluster() { return cluster; }
    public String namespace() { return namespace; }

    public String nameServer() { return cluster + "-namesrv"; }
    public String nameServerHeadless() { return cluster + "-namesrv-headless"; }
    public String nameServerExternal() { return cluster + "-namesrv-external"; }
    public String brokerConfig() { return cluster + "-broker-config"; }

    /** brokerName of group {@code g}. */
    public static String brokerName(int group) { return "broker-" + group; }

    /** The group's headless Service, which gives its pods their DNS names. */
    public String groupService(int group) { return cluster + "-" + brokerName(group); }

    /** StatefulSet of the broker with {@code brokerId} (0 = master) in group {@code g}. */
    public String statefulSet(int group, int brokerId) {
        return groupService(group) + (brokerId == 0 ? "-master" : "-slave-" + brokerId);
    }

    public String externalService(int group, int brokerId) { return statefulSet(group, brokerId) + "-external"; }

    /** ConfigMap key (and file name under /etc/rocketcluster) of a broker's broker.conf. */
    public static String confKey(int group, int brokerId) {
        return brokerName(group) + (brokerId == 0 ? "-master" : "-slave-" + brokerId) + ".conf";
    }

    /** The stable DNS name a broker advertises (brokerIP1/brokerIP2). */
    public String brokerHost(int group, int brokerId) {
        return statefulSet(group, brokerId) + "-0." + groupService(group) + "." + svcDomain();
    }

    /** Clients inside the cluster: the nameserver Service (any nameserver answers every route). */
    public String nameServerAddress() {
        return nameServer() + "." + svcDomain() + ":" + NAMESRV_PORT;
    }

    /**
     * Brokers: the headless Service, which resolves to every nameserver pod; brokers expand it at each
     * registration round, so nameserver pods may come and go without a broker restart.
     */
    public String nameServerAddressForBrokers() {
        return nameServerHeadless() + "." + svcDomain() + ":" + NAMESRV_PORT;
    }

    private String svcDomain() {
        return namespace + ".svc." + domain;
    }
}
