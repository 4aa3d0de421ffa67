package io.rocketcluster.operator.model;

import io.rocketcluster.operator.crd.ExternalAccessSpec;
import io.rocketcluster.operator.crd.RocketCluster;

import java.util.Optional;

/**
 * NodePorts of one broker when external access is on. Broker k = group * 9 + brokerId (room for the
 * most slaves a group may have, so that changing slavesPerGroup moves no existing broker's ports) gets
 * {@code base + 3k} for the fast port and {@code base + 3k + 2} for the client port, so that "client
 * port - 2" (what RocketMQ clients use for the VIP channel) is the fast port outside too.
 */
public record ExternalPorts(int fast, int client) {
    /** A master and at most 8 slaves (spec.broker.slavesPerGroup's maximum). */
    static final int SLOTS_PER_GROUP = 9;

    public static Optional<ExternalPorts> forBroker(RocketCluster cr, int group, int brokerId) {
        ExternalAccessSpec ext = cr.getSpec().getExternalAccess();
        if (ext == null || !ext.enabled()) {
            return Optional.empty();
        }
        int k = group * SLOTS_PER_GROUP + brokerId;
        int fast = ext.getBrokerNodePortBase() + 3 * k;
        return Optional.of(new ExternalPorts(fast, fast + 2));
    }

    /** The highest NodePort the brokers use (validation keeps it within the NodePort range). */
    public static int highest(RocketCluster cr) {
        ExternalAccessSpec ext = cr.getSpec().getExternalAccess();
        int lastK = (cr.getSpec().getBroker().getGroups() - 1) * SLOTS_PER_GROUP + cr.getSpec().getBroker().getSlavesPerGroup();
        return ext.getBrokerNodePortBase() + 3 * lastK + 2;
    }
}
