package io.rocketcluster.broker.topic;

import java.util.regex.Pattern;

/**
 * Consumer and producer group names, checked wherever a request carries one (RocketMQ's client rule:
 * not blank, only {@code ^[%|a-zA-Z0-9_-]+$}, at most 255 characters). A consumer group also names
 * its retry and dead-letter topics, {@code %RETRY%<group>} and {@code %DLQ%<group>}, which must fit
 * {@link TopicValidator#MAX_TOPIC_LENGTH}: a consumer group has at most 120 characters.
 */
public final class GroupValidator {
    public static final int MAX_GROUP_LENGTH = 255;
    public static final String LEGAL_CHARACTERS = "^[%|a-zA-Z0-9_-]+$";
    /** The longest consumer group whose retry topic fits (the DLQ prefix is shorter). */
    public static final int MAX_CONSUMER_GROUP_LENGTH = TopicValidator.MAX_TOPIC_LENGTH - TopicValidator.RETRY_PREFIX.length();

    private static final Pattern LEGAL = Pattern.compile(LEGAL_CHARACTERS);
    private static final int SHOWN = 64;

    private GroupValidator() {
    }

    /** Null when {@code group} is a legal group name, else the reason (for a response remark). */
    public static String check(String group) {
        if (group == null || group.isBlank()) {
            return "The specified group is blank.";
        }
        if (group.length() > MAX_GROUP_LENGTH) {
            return "The specified group[" + shown(group) + "] is longer than group max length " + MAX_GROUP_LENGTH
                    + "; group names allow only " + LEGAL_CHARACTERS + ", at most " + MAX_GROUP_LENGTH + " characters.";
        }
        if (!LEGAL.matcher(group).matches()) {
            return "The specified group[" + shown(group) + "] contains illegal characters, allowing only "
                    + LEGAL_CHARACTERS + " (at most " + MAX_GROUP_LENGTH + " characters).";
        }
        return null;
    }

    /**
     * Null when {@code group} is a legal consumer group: a legal group whose {@code %RETRY%} and
     * {@code %DLQ%} topics fit the topic length limit; else the reason.
     */
    public static String checkConsumerGroup(String group) {
        String illegal = check(group);
        if (illegal != null) {
            return illegal;
        }
        for (String topic : new String[] {TopicValidator.retryTopic(group), TopicValidator.DLQ_PREFIX + group}) {
            if (topic.length() > TopicValidator.MAX_TOPIC_LENGTH) {
                return "The consumer group[" + shown(group) + "] (" + group.length() + " characters) is too long: its topic "
                        + shown(topic) + " would be " + topic.length() + " bytes, longer than the topic max length "
                        + TopicValidator.MAX_TOPIC_LENGTH + ". A consumer group has at most " + MAX_CONSUMER_GROUP_LENGTH
                        + " characters of " + LEGAL_CHARACTERS + ".";
            }
        }
        return null;
    }

    /** The name for a remark: long names cut short, control characters escaped. */
    private static String shown(String name) {
        return io.rocketcluster.broker.util.Remarks.shown(name, SHOWN);
    }
}
