package io.rocketcluster.broker.store;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.charset.StandardCharsets;

/**
 * What a stored record can hold and be read back by RocketMQ clients (docs/store-layout.md §2.1): the topic's
 * length is one signed byte (at most 127 UTF-8 bytes) and becomes a consume-queue directory name
 * ({@link StorePaths}), the properties' length two signed bytes (at most 32,767), and the body is at
 * most the store's maxMessageSize. The store refuses anything else before it is written.
 */
public final class RecordLimits {
    private static final Logger LOG = LogManager.getLogger(RecordLimits.class);
    public static final int MAX_TOPIC_BYTES = Byte.MAX_VALUE;
    public static final int MAX_PROPERTIES_BYTES = Short.MAX_VALUE;

    private RecordLimits() {
    }

    /** Null when {@code m} can be stored and read back, else the reason. */
    public static String violation(MessageToStore m, int maxBody) {
        Violation v = check(m, maxBody);
        return v == null ? null : v.reason();
    }

    /**
     * The status a put of {@code m} is refused with (as RocketMQ: PROPERTIES_SIZE_EXCEEDED for the
     * properties, MESSAGE_ILLEGAL otherwise), or null when it may be stored.
     */
    public static PutStatus refusal(MessageToStore m, int maxBody) {
        Violation v = check(m, maxBody);
        return v == null ? null : v.status();
    }

    /** A failed put (logged with the reason) when {@code m} cannot be stored, else null. */
    static PutResult refuse(MessageToStore m, int maxBody) {
        Violation v = check(m, maxBody);
        if (v == null) {
            return null;
        }
        LOG.warn("refused to store a message of topic [{}]: {}", StorePaths.printable(m.topic), v.reason());
        return PutResult.failed(v.status());
    }

    private record Violation(PutStatus status, String reason) {
    }

    private static Violation check(MessageToStore m, int maxBody) {
        if (m.topic == null) {
            return new Violation(PutStatus.MESSAGE_ILLEGAL, "the topic is missing");
        }
        int topicBytes = m.topic.getBytes(StandardCharsets.UTF_8).length;
        if (topicBytes > MAX_TOPIC_BYTES) {
            return new Violation(PutStatus.MESSAGE_ILLEGAL,
                    "the topic is " + topicBytes + " UTF-8 bytes, more than " + MAX_TOPIC_BYTES);
        }
        String path = StorePaths.problem(m.topic);
        if (path != null) {
            return new Violation(PutStatus.MESSAGE_ILLEGAL, "the topic cannot be a consume-queue directory: " + path);
        }
        // a char is at most 3 UTF-8 bytes: short properties need no encoding to be known to fit
        int propertiesBytes = m.properties == null ? 0 : m.properties.length() <= MAX_PROPERTIES_BYTES / 3
                ? m.properties.length() : m.properties.getBytes(StandardCharsets.UTF_8).length;
        if (propertiesBytes > MAX_PROPERTIES_BYTES) {
            return new Violation(PutStatus.PROPERTIES_SIZE_EXCEEDED,
                    "the properties are " + propertiesBytes + " UTF-8 bytes, more than " + MAX_PROPERTIES_BYTES);
        }
        int body = m.body == null ? 0 : m.body.length;
        if (body > maxBody) {
            return new Violation(PutStatus.MESSAGE_ILLEGAL,
                    "the body is " + body + " bytes, more than maxMessageSize " + maxBody);
        }
        return null;
    }
}
