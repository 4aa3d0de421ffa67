package io.rocketcluster.broker.processor;

import io.netty.channel.Channel;
import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;

import java.nio.ByteBuffer;

/**
 * Queue offsets and single messages: GET_MAX_OFFSET, GET_MIN_OFFSET, GET_EARLIEST_MSG_STORETIME,
 * SEARCH_OFFSET_BY_TIMESTAMP and VIEW_MESSAGE_BY_ID (docs/remoting.md §5, §7).
 */
public final class QueueQueryProcessor implements RequestProcessor {
    private final BrokerController broker;

    public QueueQueryProcessor(BrokerController broker) {
        this.broker = broker;
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        if (request.code() == RequestCode.VIEW_MESSAGE_BY_ID) {
            return viewById(request);
        }
        String topic = request.require("topic");
        int queueId = request.requireInt("queueId");
        RemotingCommand ok = RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null);
        return switch (request.code()) {
            case RequestCode.GET_MAX_OFFSET -> ok.put("offset", broker.store().maxOffset(topic, queueId));
            case RequestCode.GET_MIN_OFFSET -> ok.put("offset", broker.store().minOffset(topic, queueId));
            case RequestCode.GET_EARLIEST_MSG_STORETIME ->
                    ok.put("timestamp", broker.store().earliestStoreTime(topic, queueId));
            case RequestCode.SEARCH_OFFSET_BY_TIMESTAMP ->
                    ok.put("offset", broker.store().offsetByTime(topic, queueId, request.requireLong("timestamp")));
            default -> throw new IllegalArgumentException("unexpected code " + request.code());
        };
    }

    private RemotingCommand viewById(RemotingCommand request) {
        long offset = request.requireLong("offset");
        ByteBuffer record = broker.store().recordAt(offset);
        if (record == null) {
            return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR,
                    "can not find message by the offset, " + offset);
        }
        byte[] body = new byte[record.remaining()];
        record.get(record.position(), body);
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null).body(body);
    }
}
