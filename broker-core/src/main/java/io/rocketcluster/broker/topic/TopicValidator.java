package io.rocketcluster.broker.topic;

import java.util.Set;
import java.util.regex.Pattern;

/** Topic names and reserved topics (docs/store-layout.md §4). */
public final class TopicValidator {
    public static final String AUTO_CREATE_TOPIC_KEY = "TBW102";
    public static final String SCHEDULE_TOPIC = io.rocketcluster.broker.store.DelayLevels.SCHEDULE_TOPIC;
    public static final String BENCHMARK_TOPIC = "BenchmarkTest";
    public static final String TRANS_HALF_TOPIC = "RMQ_SYS_TRANS_HALF_TOPIC";
    public static final String TRANS_OP_HALF_TOPIC = "RMQ_SYS_TRANS_OP_HALF_TOPIC";
    public static final String TRANS_CHECK_MAX_TIME_TOPIC = "TRANS_CHECK_MAX_TIME_TOPIC";
    public static final String SELF_TEST_TOPIC = "SELF_TEST_TOPIC";
    public static final String OFFSET_MOVED_EVENT = "OFFSET_MOVED_EVENT";
    public static final String RETRY_PREFIX = "%RETRY%";
    public static final String DLQ_PREFIX = "%DLQ%";
    public static final int MAX_TOPIC_LENGTH = 127;

    private static final Pattern LEGAL = Pattern.compile("^[%|a-zA-Z0-9_-]+$");
    private static final Set<String> NOT_ALLOWED_TO_SEND = Set.of(SCHEDULE_TOPIC, TRANS_HALF_TOPIC,
            TRANS_OP_HALF_TOPIC, TRANS_CHECK_MAX_TIME_TOPIC, SELF_TEST_TOPIC, OFFSET_MOVED_EVENT);

    private TopicValidator() {
    }

    /** Null when the name is legal, else the reason. */
    public static String check(String topic) {
        if (topic == null || topic.isBlank()) {
            return "The specified topic is blank.";
        }
        if (topic.length() > MAX_TOPIC_LENGTH) {
            return "The specified topic is longer than topic max length " + MAX_TOPIC_LENGTH + ".";
        }
        if (!LEGAL.matcher(topic).matches()) {
            return "The specified topic[" + topic + "] contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$";
        }
        return null;
    }

    public static boolean isNotAllowedToSend(String topic) {
        return NOT_ALLOWED_TO_SEND.contains(topic);
    }

    public static boolean isRetryTopic(String topic) {
        return topic.startsWith(RETRY_PREFIX);
    }

    public static String retryTopic(String group) {
        return RETRY_PREFIX + group;
    }
}
