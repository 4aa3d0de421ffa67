package io.rocketcluster.broker.transaction;

import io.rocketcluster.broker.store.MessageProperties;
import io.rocketcluster.broker.store.MessageRecord;
import io.rocketcluster.broker.store.MessageStore;
import io.rocketcluster.broker.store.MessageToStore;
import io.rocketcluster.broker.store.PutResult;
import io.rocketcluster.broker.store.StoredMessage;
import io.rocketcluster.broker.topic.TopicConfigManager;
import io.rocketcluster.broker.topic.TopicValidator;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Transactional messages as RocketMQ 4.x stores them (docs/store-layout.md §14): a half message waits in
 * {@code RMQ_SYS_TRANS_HALF_TOPIC} queue 0 with its real topic and queue in properties; commit
 * stores the real message (sysflag COMMIT, prepared offset = the half's commitlog offset) and an
 * op record, rollback only the op record. Op records live in {@code RMQ_SYS_TRANS_OP_HALF_TOPIC}
 * queue 0, tag {@code d}, body = the half's queue offset in decimal. All state is in the commitlog,
 * so it survives restarts and replicates like any message.
 */
public final class TransactionalMessages {
    public static final String CHECK_TIMES = "TRANSACTION_CHECK_TIMES";
    public static final String PRODUCER_GROUP = "PGROUP";
    static final String OP_TAG = "d";

    private final MessageStore store;
    private final TopicConfigManager topics;
    private final InetSocketAddress storeHost;

    public TransactionalMessages(MessageStore store, TopicConfigManager topics, InetSocketAddress storeHost) {
        this.store = store;
        this.topics = topics;
        this.storeHost = storeHost;
    }

    /** Turns a prepared message into its half form (stored as a normal message of the half topic). */
    public void toHalf(MessageToStore m) {
        Map<String, String> props = MessageProperties.parse(m.properties);
        props.put(MessageProperties.REAL_TOPIC, m.topic);
        props.put(MessageProperties.REAL_QID, String.valueOf(m.queueId));
        props.remove(MessageProperties.DELAY);
        m.properties = MessageProperties.format(props);
        m.topic = TopicValidator.TRANS_HALF_TOPIC;
        m.queueId = 0;
        m.sysFlag &= ~MessageRecord.SYSFLAG_TRANSACTION_MASK;
        topics.createRetryTopic(TopicValidator.TRANS_HALF_TOPIC, 1);
    }

    /** The real message of a half, as committed. */
    static MessageToStore committed(StoredMessage half) {
        MessageToStore m = half.copy();
        m.topic = half.property(MessageProperties.REAL_TOPIC);
        m.queueId = Integer.parseInt(half.property(MessageProperties.REAL_QID));
        m.sysFlag = (half.sysFlag() & ~MessageRecord.SYSFLAG_TRANSACTION_MASK) | MessageRecord.SYSFLAG_TRANSACTION_COMMIT;
        m.preparedTransactionOffset = half.physicalOffset();
        return m;
    }

    /**
     * Commits: the real message, then the op record marking the half resolved; each is acknowledged
     * only once as durable as the broker's flush and replication mode make a send.
     */
    public CompletableFuture<PutResult> commit(StoredMessage half) {
        MessageToStore real = committed(half);
        real.storeHost = storeHost;
        return store.put(real, true).thenCompose(r -> r.status() == io.rocketcluster.broker.store.PutStatus.PUT_OK
                ? writeOp(half).thenApply(op -> r) : CompletableFuture.completedFuture(r));
    }

    /** Rolls back: only the op record; the real message is never stored. */
    public CompletableFuture<PutResult> rollback(StoredMessage half) {
        return writeOp(half);
    }

    private CompletableFuture<PutResult> writeOp(StoredMessage half) {
        topics.createRetryTopic(TopicValidator.TRANS_OP_HALF_TOPIC, 1);
        MessageToStore op = new MessageToStore();
        op.topic = TopicValidator.TRANS_OP_HALF_TOPIC;
        op.queueId = 0;
        op.body = String.valueOf(half.queueOffset()).getBytes(StandardCharsets.UTF_8);
        op.properties = MessageProperties.TAGS + MessageProperties.NAME_VALUE_SEPARATOR + OP_TAG;
        op.bornTimestamp = System.currentTimeMillis();
        op.bornHost = storeHost;
        op.storeHost = storeHost;
        return store.put(op, true); // acknowledged like a send: the flush and replication mode apply
    }

    /** Whether the stored message is a half message of the given producer group at these offsets. */
    static String mismatch(StoredMessage half, String producerGroup, long queueOffset, long commitLogOffset) {
        if (!TopicValidator.TRANS_HALF_TOPIC.equals(half.topic())) {
            return "the message at " + commitLogOffset + " is not a half message";
        }
        if (!producerGroup.equals(half.property(PRODUCER_GROUP))) {
            return "the producer group " + producerGroup + " does not own the half message";
        }
        if (half.queueOffset() != queueOffset || half.physicalOffset() != commitLogOffset) {
            return "the half message offsets do not match: queue " + half.queueOffset() + "/" + queueOffset
                    + ", commitlog " + half.physicalOffset() + "/" + commitLogOffset;
        }
        return null;
    }
}
