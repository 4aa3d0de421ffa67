package io.rocketcluster.broker.transaction;

import io.netty.channel.Channel;
import io.rocketcluster.broker.client.ClientChannelInfo;
import io.rocketcluster.broker.client.ProducerManager;
import io.rocketcluster.broker.config.BrokerConfig;
import io.rocketcluster.broker.offset.ConsumerOffsetManager;
import io.rocketcluster.broker.store.MessageProperties;
import io.rocketcluster.broker.store.MessageRecord;
import io.rocketcluster.broker.store.MessageStore;
import io.rocketcluster.broker.store.MessageToStore;
import io.rocketcluster.broker.store.PutResult;
import io.rocketcluster.broker.store.PutStatus;
import io.rocketcluster.broker.store.StoredMessage;
import io.rocketcluster.broker.topic.TopicConfigManager;
import io.rocketcluster.broker.topic.TopicValidator;
import io.rocketcluster.remoting.netty.RemotingEndpoint;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.LongSupplier;

/**
 * Finds half messages left unresolved longer than {@code transactionTimeOut} and asks a live
 * producer of their group with CHECK_TRANSACTION_STATE (docs/remoting.md §6, docs/store-layout.md §14). Each check
 * re-appends the half with {@code TRANSACTION_CHECK_TIMES + 1}, so the producer's answer refers to
 * the copy; after {@code transactionCheckMax} checks the half goes to TRANS_CHECK_MAX_TIME_TOPIC.
 * Progress through the half queue is the committed offset of group {@code CID_RMQ_SYS_TRANS},
 * persisted with the other consumer offsets, so checking resumes after a restart. Master only;
 * one thread.
 */
public final class TransactionCheckService {
    private static final Logger LOG = LogManager.getLogger(TransactionCheckService.class);
    static final String CHECK_GROUP = "CID_RMQ_SYS_TRANS";
    private static final String HALF = TopicValidator.TRANS_HALF_TOPIC;
    private static final String OP = TopicValidator.TRANS_OP_HALF_TOPIC;

    private final MessageStore store;
    private final TopicConfigManager topics;
    private final ConsumerOffsetManager offsets;
    private final ProducerManager producers;
    private final RemotingEndpoint endpoint;
    private final BrokerConfig config;
    private final LongSupplier clock;
    /** Half queue offsets that have an op record, at or after the check progress. */
    private final NavigableSet<Long> resolved = new ConcurrentSkipListSet<>();
    private long opScanned;

    public TransactionCheckService(MessageStore store, TopicConfigManager topics, ConsumerOffsetManager offsets,
                                   ProducerManager producers, RemotingEndpoint endpoint, BrokerConfig config,
                                   LongSupplier clock) {
        this.store = store;
        this.topics = topics;
        this.offsets = offsets;
        this.producers = producers;
        this.endpoint = endpoint;
        this.config = config;
        this.clock = clock;
    }

    /** One pass over the half queue. */
    public synchronized void check() {
        long progress = Math.max(committed(HALF), store.minOffset(HALF, 0));
        scanOps(progress);
        long max = store.maxOffset(HALF, 0);
        long now = clock.getAsLong();
        long h = progress;
        for (; h < max; h++) {
            if (resolved.remove(h)) {
                continue;
            }
            MessageStore.QueueEntry e = store.entry(HALF, 0, h);
            StoredMessage half = e == null ? null : store.messageAt(e.commitLogOffset());
            if (half == null) {
                continue;
            }
            long immunityMillis = immunity(half);
            if (now - half.storeTimestamp() < Math.max(config.getTransactionTimeOut(), immunityMillis)) {
                break; // later halves are younger
            }
            int checks = parseInt(half.property(TransactionalMessages.CHECK_TIMES));
            if (checks >= config.getTransactionCheckMax()) {
                discard(half);
            } else if (!recheck(half, checks + 1)) {
                break; // the store refused: try again next pass
            }
        }
        offsets.commit(CHECK_GROUP, HALF, 0, h);
        resolved.headSet(h).clear();
    }

    private void scanOps(long progress) {
        long max = store.maxOffset(OP, 0);
        opScanned = Math.max(opScanned, store.minOffset(OP, 0));
        for (; opScanned < max; opScanned++) {
            MessageStore.QueueEntry e = store.entry(OP, 0, opScanned);
            StoredMessage op = e == null ? null : store.messageAt(e.commitLogOffset());
            if (op == null) {
                continue;
            }
            try {
                long halfOffset = Long.parseLong(new String(op.body(), StandardCharsets.UTF_8).trim());
                if (halfOffset >= progress) {
                    resolved.add(halfOffset);
                }
            } catch (NumberFormatException ex) {
                LOG.warn("op record at {} has no half offset", op.physicalOffset());
            }
        }
    }

    private long committed(String topic) {
        return Math.max(0, offsets.query(CHECK_GROUP, topic, 0));
    }

    private static long immunity(StoredMessage half) {
        String seconds = half.property("CHECK_IMMUNITY_TIME_IN_SECONDS");
        return seconds == null ? 0 : parseInt(seconds) * 1000L;
    }

    private static int parseInt(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void discard(StoredMessage half) {
        topics.createRetryTopic(TopicValidator.TRANS_CHECK_MAX_TIME_TOPIC, 1);
        MessageToStore m = half.copy();
        m.topic = TopicValidator.TRANS_CHECK_MAX_TIME_TOPIC;
        m.queueId = 0;
        store.put(m, false).join();
        LOG.warn("half message {} of group {} was checked {} times without an answer; moved to {}",
                half.queueOffset(), half.property(TransactionalMessages.PRODUCER_GROUP),
                config.getTransactionCheckMax(), TopicValidator.TRANS_CHECK_MAX_TIME_TOPIC);
    }

    /** Re-appends the half with one more check and asks a producer of its group about it. */
    private boolean recheck(StoredMessage half, int checks) {
        Map<String, String> props = MessageProperties.parse(half.properties());
        props.put(TransactionalMessages.CHECK_TIMES, String.valueOf(checks));
        MessageToStore copy = half.copy();
        copy.properties = MessageProperties.format(props);
        PutResult r = store.put(copy, false).join();
        if (r.status() != PutStatus.PUT_OK) {
            LOG.warn("re-appending half message {} for a check failed: {}", half.queueOffset(), r.status());
            return false;
        }
        String group = half.property(TransactionalMessages.PRODUCER_GROUP);
        Channel channel = producers.group(group).values().stream().map(ClientChannelInfo::channel)
                .filter(Channel::isActive).findAny().orElse(null);
        if (channel == null) {
            LOG.info("no live producer of group {} to check half message {}", group, half.queueOffset());
            return true;
        }
        StoredMessage stored = store.messageAt(r.wroteOffset());
        String uniqKey = stored.property(MessageProperties.UNIQ_KEY);
        RemotingCommand request = RemotingCommand.request(RequestCode.CHECK_TRANSACTION_STATE)
                .put("tranStateTableOffset", r.queueOffset())
                .put("commitLogOffset", r.wroteOffset())
                .put("msgId", uniqKey)
                .put("transactionId", uniqKey)
                .put("offsetMsgId", MessageRecord.offsetMsgId(stored.storeHost(), r.wroteOffset()))
                .body(recordAsReal(stored));
        endpoint.invokeOneway(channel, request);
        return true;
    }

    /** The checked copy encoded as a stored record, with its real topic and queue restored. */
    private static byte[] recordAsReal(StoredMessage stored) {
        MessageToStore m = TransactionalMessages.committed(stored);
        m.sysFlag = stored.sysFlag();
        m.preparedTransactionOffset = 0;
        ByteBuffer record = MessageRecord.encode(m);
        MessageRecord.patch(record, stored.queueOffset(), stored.physicalOffset(), stored.storeTimestamp());
        return record.array();
    }
}
