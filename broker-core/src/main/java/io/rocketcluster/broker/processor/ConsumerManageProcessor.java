package io.rocketcluster.broker.processor;

import io.netty.channel.Channel;
import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.client.ConsumerGroupInfo;
import io.rocketcluster.broker.topic.GroupValidator;
import io.rocketcluster.remoting.data.ConsumerListBody;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.TopicConfig;
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

    /**
     * Commits only for a group the broker has (or may auto-create) and a queue of a topic it hosts, so
     * a client cannot fill the offset table with names of its choosing.
     */
    private RemotingCommand updateOffset(RemotingCommand request) {
        String group = request.require("consumerGroup");
        String topic = request.require("topic");
        int queueId = request.requireInt("queueId");
        if (broker.groups().findOrCreate(group) == null) {
            return RemotingCommand.responseTo(request, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
                    broker.groups().whyAbsent(group));
        }
        int queues = hostedQueues(topic);
        if (queues == 0) {
            return RemotingCommand.responseTo(request, ResponseCode.TOPIC_NOT_EXIST,
                    "topic[" + topic + "] not exist on this broker");
        }
        if (queueId < 0 || queueId >= queues) {
            return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR,
                    "queueId[" + queueId + "] is illegal, topic[" + topic + "] has " + queues + " queues");
        }
        broker.commitOffset(group, topic, queueId, request.requireLong("commitOffset"));
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null);
    }

    /** How many queues the broker hosts for a topic: its config, or what a slave's store already holds. */
    private int hostedQueues(String topic) {
        TopicConfig config = broker.topics().get(topic);
        return config != null ? Math.max(config.readQueueNums, config.writeQueueNums) : broker.store().queueCount(topic);
    }
}
