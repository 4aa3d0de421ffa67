package io.rocketcluster.broker.processor;

import io.netty.channel.Channel;
import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.client.ClientChannelInfo;
import io.rocketcluster.broker.filter.SqlCompileException;
import io.rocketcluster.broker.filter.SqlCompiler;
import io.rocketcluster.broker.topic.GroupValidator;
import io.rocketcluster.broker.topic.TopicValidator;
import io.rocketcluster.remoting.data.ConsumerData;
import io.rocketcluster.remoting.data.HeartbeatData;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.ProducerData;
import io.rocketcluster.remoting.data.SubscriptionData;
import io.rocketcluster.remoting.data.SubscriptionGroupConfig;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;

/** HEART_BEAT, UNREGISTER_CLIENT and CHECK_CLIENT_CONFIG (docs/remoting.md §5, §10.1). */
public final class ClientManageProcessor implements RequestProcessor {
    private final BrokerController broker;
    /** Compiles the SQL92 subscriptions consumers check at start. */
    private final SqlCompiler sqlCompiler;

    public ClientManageProcessor(BrokerController broker) {
        this.broker = broker;
        this.sqlCompiler = new SqlCompiler(256, broker.brokerConfig().getSqlFilterMaxLength(),
                broker.brokerConfig().getSqlFilterMaxDepth(), broker.brokerConfig().getSqlFilterCacheMaxBytes());
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        return switch (request.code()) {
            case RequestCode.HEART_BEAT -> heartbeat(channel, request);
            case RequestCode.UNREGISTER_CLIENT -> unregister(channel, request);
            case RequestCode.CHECK_CLIENT_CONFIG -> checkClientConfig(request);
            default -> throw new IllegalArgumentException("unexpected code " + request.code());
        };
    }

    private RemotingCommand heartbeat(Channel channel, RemotingCommand request) {
        HeartbeatData hb = Json.decode(request.body(), HeartbeatData.class);
        String illegal = illegalGroup(hb);
        if (illegal != null) {
            // all or nothing: no group of a refused heartbeat is registered or created
            return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, illegal);
        }
        ClientChannelInfo client = new ClientChannelInfo(channel, hb.clientID, request.language(), request.version(),
                System.currentTimeMillis());
        for (ConsumerData c : hb.consumerDataSet) {
            SubscriptionGroupConfig group = broker.groups().findOrCreate(c.groupName);
            if (group == null && broker.brokerConfig().isAutoCreateSubscriptionGroup()) {
                // a legal name was refused by the auto-creation bounds: nothing can serve it, so keep no state
                continue;
            }
            boolean notify = broker.brokerConfig().isNotifyConsumerIdsChangedEnable();
            if (group != null) {
                notify &= group.notifyConsumerIdsChangedEnable;
                String retryTopic = TopicValidator.retryTopic(c.groupName);
                if (group.retryQueueNums > 0 && broker.topics().get(retryTopic) == null) {
                    broker.topics().createRetryTopic(retryTopic, group.retryQueueNums);
                    // admin tools find a group's brokers through the route of its retry topic
                    broker.registerWithNameServers();
                }
            }
            broker.consumers().register(client, c, notify);
        }
        for (ProducerData p : hb.producerDataSet) {
            broker.producers().register(p.groupName, client);
        }
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null);
    }

    /**
     * Why a heartbeat's group is illegal, or null: producer groups follow {@link GroupValidator#check},
     * consumer groups {@link GroupValidator#checkConsumerGroup} (their retry topic must fit 127 bytes).
     */
    private String illegalGroup(HeartbeatData hb) {
        int max = broker.brokerConfig().getHeartbeatMaxGroups();
        if (hb.consumerDataSet.size() + hb.producerDataSet.size() > max) {
            return "a heartbeat may name at most " + max + " groups (heartbeatMaxGroups)";
        }
        for (ConsumerData c : hb.consumerDataSet) {
            String illegal = GroupValidator.checkConsumerGroup(c.groupName);
            if (illegal != null) {
                return illegal;
            }
        }
        for (ProducerData p : hb.producerDataSet) {
            String illegal = GroupValidator.check(p.groupName);
            if (illegal != null) {
                return illegal;
            }
        }
        return null;
    }

    private RemotingCommand unregister(Channel channel, RemotingCommand request) {
        String producerGroup = request.get("producerGroup");
        String consumerGroup = request.get("consumerGroup");
        for (String group : new String[] {producerGroup, consumerGroup}) {
            String illegal = group == null ? null : GroupValidator.check(group);
            if (illegal != null) {
                return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, illegal);
            }
        }
        if (producerGroup != null) {
            broker.producers().unregister(producerGroup, channel);
        }
        if (consumerGroup != null) {
            SubscriptionGroupConfig group = broker.groups().findOrCreate(consumerGroup);
            boolean notify = broker.brokerConfig().isNotifyConsumerIdsChangedEnable()
                    && (group == null || group.notifyConsumerIdsChangedEnable);
            broker.consumers().unregister(consumerGroup, channel, notify);
        }
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null);
    }

    private RemotingCommand checkClientConfig(RemotingCommand request) {
        CheckClientConfigBody body = Json.decode(request.body(), CheckClientConfigBody.class);
        String illegal = GroupValidator.check(body.group);
        if (illegal != null) {
            return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, illegal);
        }
        SubscriptionData sub = body.subscriptionData;
        if (sub != null && !sub.isTagType()) {
            if (!broker.brokerConfig().isEnablePropertyFilter()) {
                return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR,
                        "The broker does not support consumer to filter message by " + sub.expressionType);
            }
            if (!SubscriptionData.SQL92.equals(sub.expressionType)) {
                return RemotingCommand.responseTo(request, ResponseCode.SUBSCRIPTION_PARSE_FAILED,
                        "Unknown expression type " + sub.expressionType);
            }
            try {
                sqlCompiler.compile(sub.subString);
            } catch (SqlCompileException e) {
                return RemotingCommand.responseTo(request, ResponseCode.SUBSCRIPTION_PARSE_FAILED, e.getMessage());
            }
        }
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null);
    }

    /** CHECK_CLIENT_CONFIG request body. */
    public static class CheckClientConfigBody {
        public String clientId;
        public String group;
        public SubscriptionData subscriptionData;
    }
}
