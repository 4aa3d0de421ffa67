package io.rocketcluster.broker.processor;

import io.netty.channel.Channel;
import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.client.ConsumerGroupInfo;
import io.rocketcluster.broker.topic.GroupValidator;
import io.rocketcluster.remoting.data.ConsumerListBody;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;

/** GET_CONSUMER_LIST_BY_GROUP, QUERY_CONSUMER_OFFSET and UPDATE_CONSUMER_OFFSET (docs/remoting.md §5). */
public final class ConsumerManageProcessor implements RequestProcessor {
    private final BrokerController broker;

    public ConsumerManageProcessor(BrokerController broker) {
        this.broker = broker;
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        String illegal = GroupValidator.check(request.require("consumerGroup"));
        if (illegal != null) {
            return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, illegal);
        }
        return switch (request.code()) {
            case RequestCode.GET_CONSUMER_LIST_BY_GROUP -> consumerList(request);
            case RequestCode.QUERY_CONSUMER_OFFSET -> queryOffset(request);
            case RequestCode.UPDATE_CONSUMER_OFFSET -> updateOffset(request);
            default -> throw new IllegalArgumentException("unexpected code " + request.code());
        };
    }

    private RemotingCommand consumerList(RemotingCommand request) {
        String group = request.require("consumerGroup");
        ConsumerGroupInfo info = broker.consumers().group(group);
        if (info == null || info.channels().isEmpty()) {
            return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, "no consumer for this group, " + group);
        }
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null)
                .body(Json.encode(new ConsumerListBody(info.clientIds())));
    }

    private RemotingCommand queryOffset(RemotingCommand request) {
        String group = request.require("consumerGroup");
        String topic = request.require("topic");
        int queueId = request.requireInt("queueId");
        long offset = broker.offsets().query(group, topic, queueId);
        if (offset >= 0) {
            return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null).put("offset", offset);
        }
        boolean zeroIfNotFound = request.getBoolean("setZeroIfNotFound", true);
        long min = broker.store().minOffset(topic, queueId);
        if (zeroIfNotFound && min <= 0 && !broker.store().isColdFromStart(topic, queueId)) {
            return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null).put("offset", 0L);
        }
        return RemotingCommand.responseTo(request, ResponseCode.QUERY_NOT_FOUND, "no committed offset for this group and queue");
    }

    private RemotingCommand updateOffset(RemotingCommand request) {
        broker.commitOffset(request.require("consumerGroup"), request.require("topic"),
                request.requireInt("queueId"), request.requireLong("commitOffset"));
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null);
    }
}
