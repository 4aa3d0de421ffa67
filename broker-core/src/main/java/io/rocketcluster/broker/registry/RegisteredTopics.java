package io.rocketcluster.broker.registry;

import io.rocketcluster.remoting.data.Perm;
import io.rocketcluster.remoting.data.TopicConfig;
import io.rocketcluster.remoting.data.TopicConfigSerializeWrapper;

/**
 * The topic table as a broker registers it: while {@code brokerPermission} lacks read or write, every
 * topic is registered with that permission instead of its own, so routes stop offering the broker
 * for what it refuses (RocketMQ's registerBrokerAll; updateBrokerConfig brokerPermission=4 makes a
 * broker read-only for producers).
 */
public final class RegisteredTopics {
    private RegisteredTopics() {
    }

    public static TopicConfigSerializeWrapper withBrokerPermission(TopicConfigSerializeWrapper topics, int brokerPermission) {
        if (Perm.readable(brokerPermission) && Perm.writable(brokerPermission)) {
            return topics;
        }
        for (TopicConfig c : topics.topicConfigTable.values()) {
            c.perm = brokerPermission;
        }
        return topics;
    }
}
