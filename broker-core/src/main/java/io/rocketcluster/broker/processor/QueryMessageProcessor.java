package io.rocketcluster.broker.processor;

import io.netty.channel.Channel;
import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.store.MessageProperties;
import io.rocketcluster.broker.store.StoredRecord;
import io.rocketcluster.broker.store.index.IndexQueryResult;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.ResponseCode;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * QUERY_MESSAGE (docs/remoting.md §7): looks {@code topic#key} up in the message index within
 * [beginTimestamp, endTimestamp] and answers with the stored records concatenated, plus the
 * index's indexLastUpdateTimestamp / indexLastUpdatePhyoffset. {@code _UNIQUE_KEY_QUERY=true}
 * (a lookup by UNIQ_KEY message id) replaces maxNum with defaultQueryMaxNum. Nothing found →
 * QUERY_NOT_FOUND.
 *
 * <p>Unlike RocketMQ, records whose topic and keys do not actually match (hash collisions) are left
 * out here; clients filter them out themselves anyway, so what they end up with is the same.
 */
public final class QueryMessageProcessor implements RequestProcessor {
    /** extFields flag the client adds to lookups by message id (MixAll.UNIQUE_MSG_QUERY_FLAG). */
    public static final String UNIQUE_KEY_QUERY = "_UNIQUE_KEY_QUERY";

    private final BrokerController broker;

    public QueryMessageProcessor(BrokerController broker) {
        this.broker = broker;
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        String topic = request.require("topic");
        String key = request.require("key");
        int maxNum = request.requireInt("maxNum");
        long begin = request.requireLong("beginTimestamp");
        long end = request.requireLong("endTimestamp");
        if ("true".equals(request.get(UNIQUE_KEY_QUERY))) {
            maxNum = broker.storeConfig().getDefaultQueryMaxNum();
        }
        IndexQueryResult found = broker.store().queryIndex(topic, key, maxNum, begin, end);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (long offset : found.offsets()) {
            ByteBuffer record = broker.store().recordAt(offset);
            if (record != null && matches(record, topic, key)) {
                byte[] bytes = new byte[record.remaining()];
                record.get(record.position(), bytes);
                body.writeBytes(bytes);
            }
        }
        RemotingCommand response = body.size() > 0
                ? RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null).body(body.toByteArray())
                : RemotingCommand.responseTo(request, ResponseCode.QUERY_NOT_FOUND, found.cutShort()
                        ? "can not find message in the " + broker.storeConfig().getIndexQueryMaxChainSteps()
                                + " index entries walked (indexQueryMaxChainSteps); narrow the time range"
                        : "can not find message, maybe time range not correct");
        return response.put("indexLastUpdateTimestamp", found.indexLastUpdateTimestamp())
                .put("indexLastUpdatePhyoffset", found.indexLastUpdatePhyoffset());
    }

    /** Whether the record is of {@code topic} and has {@code key} as its UNIQ_KEY or one of its KEYS. */
    static boolean matches(ByteBuffer record, String topic, String key) {
        ByteBuffer r = record.slice();
        StoredRecord parsed = StoredRecord.parse(r, 0, r.limit(), false);
        if (!parsed.isMessage() || !topic.equals(parsed.topic())) {
            return false;
        }
        if (key.equals(MessageProperties.get(parsed.properties(), MessageProperties.UNIQ_KEY))) {
            return true;
        }
        String keys = MessageProperties.get(parsed.properties(), MessageProperties.KEYS);
        return keys != null && Arrays.asList(keys.split(" ")).contains(key);
    }
}
