package io.rocketcluster.broker.admin;

import io.rocketcluster.broker.config.BrokerConfig;
import io.rocketcluster.broker.topic.TopicValidator;

import java.util.Set;
import java.util.TreeSet;

/**
 * The topics admin tools may not create or delete, and that GET_SYSTEM_TOPIC_LIST_FROM_BROKER lists:
 * RocketMQ's reserved topics, the trace topic, and the broker's cluster-name and broker-name topics;
 * any topic starting {@code rmq_sys_} counts too.
 */
final class SystemTopics {
    static final String SYSTEM_PREFIX = "rmq_sys_";

    private SystemTopics() {
    }

    static Set<String> of(BrokerConfig config) {
        Set<String> s = new TreeSet<>(Set.of(TopicValidator.AUTO_CREATE_TOPIC_KEY, TopicValidator.SCHEDULE_TOPIC,
                TopicValidator.BENCHMARK_TOPIC, TopicValidator.TRANS_HALF_TOPIC, TopicValidator.TRANS_OP_HALF_TOPIC,
                TopicValidator.TRANS_CHECK_MAX_TIME_TOPIC, TopicValidator.SELF_TEST_TOPIC,
                TopicValidator.OFFSET_MOVED_EVENT, "RMQ_SYS_TRACE_TOPIC"));
        s.add(config.getMsgTraceTopicName());
        s.add(config.getBrokerClusterName());
        s.add(config.getBrokerName());
        return s;
    }

    static boolean isSystem(BrokerConfig config, String topic) {
        return of(config).contains(topic) || topic.startsWith(SYSTEM_PREFIX);
    }
}
