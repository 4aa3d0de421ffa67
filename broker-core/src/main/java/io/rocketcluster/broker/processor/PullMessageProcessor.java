package io.rocketcluster.broker.processor;

import io.netty.channel.Channel;
import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.client.ConsumerGroupInfo;
import io.rocketcluster.broker.config.BrokerRole;
import io.rocketcluster.broker.filter.SqlCompileException;
import io.rocketcluster.broker.filter.SqlCompiler;
import io.rocketcluster.broker.filter.SqlMessageFilter;
import io.rocketcluster.broker.longpolling.PullRequestHoldService;
import io.rocketcluster.broker.store.GetResult;
import io.rocketcluster.broker.store.GetStatus;
import io.rocketcluster.broker.store.MessageFilter;
import io.rocketcluster.broker.topic.GroupValidator;
import io.rocketcluster.remoting.data.Perm;
import io.rocketcluster.remoting.data.SubscriptionData;
import io.rocketcluster.remoting.data.SubscriptionGroupConfig;
import io.rocketcluster.remoting.data.TopicConfig;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.ResponseCode;

import java.nio.ByteBuffer;

/**
 * PULL_MESSAGE (and 5.x LITE_PULL_MESSAGE) with long polling (docs/remoting.md §10.3-10.6). A pull that
 * finds nothing and may be suspended is parked in the {@link PullRequestHoldService} and re-executed
 * when its queue grows or its suspend time ends.
 */
public final class PullMessageProcessor implements RequestProcessor {
    static final int FLAG_COMMIT_OFFSET = 0x1;
    static final int FLAG_SUSPEND = 0x2;
    static final int FLAG_SUBSCRIPTION = 0x4;

    private final BrokerController broker;
    /** Compiled SQL92 subscriptions, by expression text. */
    private final SqlCompiler sqlCompiler;

    public PullMessageProcessor(BrokerController broker) {
        this.broker = broker;
        this.sqlCompiler = new SqlCompiler(SqlCompiler.DEFAULT_CAPACITY, broker.brokerConfig().getSqlFilterMaxLength(),
                broker.brokerConfig().getSqlFilterMaxDepth(), broker.brokerConfig().getSqlFilterCacheMaxBytes());
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        return pull(channel, request, true);
    }

    /** Executes a pull; {@code allowSuspend} is false when a held request is re-executed. */
    public RemotingCommand pull(Channel channel, RemotingCommand request, boolean allowSuspend) {
        RemotingCommand response = RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, null);
        String group = request.require("consumerGroup");
        String topicName = request.require("topic");
        int queueId = request.requireInt("queueId");
        long offset = request.requireLong("queueOffset");
        int maxMsgNums = request.requireInt("maxMsgNums");
        int sysFlag = request.requireInt("sysFlag");
        long commitOffset = request.getLong("commitOffset", -1);
        long suspendTimeout = request.getLong("suspendTimeoutMillis", 15000);

        String illegal = GroupValidator.check(group);
        if (illegal != null) {
            return response.code(ResponseCode.SYSTEM_ERROR).remark(illegal);
        }
        if (!Perm.readable(broker.brokerConfig().getBrokerPermission())) {
            return response.code(ResponseCode.NO_PERMISSION).remark("the broker["
                    + broker.brokerConfig().getBrokerIP1() + "] pulling message is forbidden");
        }
        SubscriptionGroupConfig groupConfig = broker.groups().findOrCreate(group);
        if (groupConfig == null) {
            return response.code(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST).remark(broker.groups().whyAbsent(group));
        }
        if (!groupConfig.consumeEnable) {
            return response.code(ResponseCode.NO_PERMISSION).remark("subscription group no permission, " + group);
        }
        TopicConfig topic = broker.topics().get(topicName);
        if (topic == null && broker.isSlave()) {
            topic = replicatedTopic(topicName);
        }
        if (topic == null) {
            return response.code(ResponseCode.TOPIC_NOT_EXIST).remark("topic[" + topicName + "] not exist, apply first please!");
        }
        if (!Perm.readable(topic.perm)) {
            return response.code(ResponseCode.NO_PERMISSION).remark("the topic[" + topicName + "] pulling message is forbidden");
        }
        if (queueId < 0 || queueId >= topic.readQueueNums) {
            return response.code(ResponseCode.SYSTEM_ERROR).remark("queueId[" + queueId + "] is illegal, topic:["
                    + topicName + "] topicConfig.readQueueNums:[" + topic.readQueueNums + "]");
        }
        SubscriptionData subscription;
        if ((sysFlag & FLAG_SUBSCRIPTION) != 0) {
            String expressionType = request.get("expressionType");
            if (expressionType == null || expressionType.isEmpty() || SubscriptionData.TAG.equals(expressionType)) {
                subscription = SubscriptionData.ofTags(topicName, request.get("subscription"));
            } else {
                subscription = new SubscriptionData();
                subscription.topic = topicName;
                subscription.subString = request.get("subscription");
                subscription.expressionType = expressionType;
                subscription.subVersion = request.getLong("subVersion", 0);
            }
        } else {
            ConsumerGroupInfo info = broker.consumers().group(group);
            if (info == null) {
                return response.code(ResponseCode.SUBSCRIPTION_NOT_EXIST).remark("the consumer's group info not exist");
            }
            if ("BROADCASTING".equals(info.messageModel()) && !groupConfig.consumeBroadcastEnable) {
                return response.code(ResponseCode.NO_PERMISSION).remark("the consumer group[" + group
                        + "] can not consume by broadcast way");
            }
            subscription = info.subscription(topicName);
            if (subscription == null) {
                return response.code(ResponseCode.SUBSCRIPTION_NOT_EXIST).remark("the consumer's subscription not exist");
            }
            if (subscription.subVersion < request.getLong("subVersion", 0)) {
                return response.code(ResponseCode.SUBSCRIPTION_NOT_LATEST).remark("the consumer's subscription not latest");
            }
        }
        MessageFilter filter;
        if (subscription.isTagType()) {
            filter = new TagFilter(subscription);
        } else if (!broker.brokerConfig().isEnablePropertyFilter()
                || !SubscriptionData.SQL92.equals(subscription.expressionType)) {
            return response.code(ResponseCode.SYSTEM_ERROR)
                    .remark("The broker does not support consumer to filter message by " + subscription.expressionType);
        } else {
            try {
                filter = new SqlMessageFilter(sqlCompiler.compile(subscription.subString));
            } catch (SqlCompileException e) {
                return response.code(ResponseCode.SUBSCRIPTION_PARSE_FAILED).remark(e.getMessage());
            }
        }
        GetResult r = broker.store().get(topicName, queueId, offset, maxMsgNums, filter);
        byte[] body;
        try {
            body = r.status() == GetStatus.FOUND ? concat(r) : null;
        } finally {
            r.release();
        }
        boolean slave = broker.storeConfig().getBrokerRole() == BrokerRole.SLAVE;

        response.put("nextBeginOffset", r.nextBeginOffset());
        response.put("minOffset", r.minOffset());
        response.put("maxOffset", r.maxOffset());
        long suggest = 0;
        if (broker.brokerConfig().isSlaveReadEnable()) {
            suggest = r.suggestPullingFromSlave() ? groupConfig.whichBrokerWhenConsumeSlowly : groupConfig.brokerId;
        }
        response.put("suggestWhichBrokerId", suggest);
        response.remark(r.status().name());
        int code = switch (r.status()) {
            case FOUND -> ResponseCode.SUCCESS;
            case NO_MATCHED_MESSAGE, MESSAGE_WAS_REMOVING -> ResponseCode.PULL_RETRY_IMMEDIATELY;
            case NO_MATCHED_LOGIC_QUEUE, NO_MESSAGE_IN_QUEUE ->
                    offset != 0 ? ResponseCode.PULL_OFFSET_MOVED : ResponseCode.PULL_NOT_FOUND;
            case OFFSET_FOUND_NULL, OFFSET_OVERFLOW_ONE -> ResponseCode.PULL_NOT_FOUND;
            case OFFSET_OVERFLOW_BADLY, OFFSET_TOO_SMALL -> ResponseCode.PULL_OFFSET_MOVED;
        };
        if (code == ResponseCode.PULL_OFFSET_MOVED && slave && !broker.brokerConfig().isOffsetCheckInSlave()) {
            code = ResponseCode.PULL_RETRY_IMMEDIATELY;
            response.put("nextBeginOffset", offset);
            response.put("suggestWhichBrokerId", groupConfig.brokerId);
        }
        response.code(code);
        if (code == ResponseCode.SUCCESS) {
            response.body(body);
            broker.stats().recordGet(group, topicName, r.messageCount());
            broker.metrics().messagesOut(topicName, group, r.messageCount(), r.totalBytes());
        } else if (code == ResponseCode.PULL_NOT_FOUND && allowSuspend && (sysFlag & FLAG_SUSPEND) != 0) {
            response = hold(channel, request, response, topicName, queueId, offset, filter, suspendTimeout);
        }
        if (allowSuspend && (sysFlag & FLAG_COMMIT_OFFSET) != 0 && !slave && commitOffset >= 0) {
            broker.offsets().commit(group, topicName, queueId, commitOffset);
        }
        return response;
    }

    /**
     * Parks a pull that found nothing (no response now), or answers SYSTEM_BUSY naming the key of the bound
     * that is full; the official client then retries after its pull back-off.
     */
    private RemotingCommand hold(Channel channel, RemotingCommand request, RemotingCommand notFound, String topic,
                                 int queueId, long offset, MessageFilter filter, long suspendTimeout) {
        var cfg = broker.brokerConfig();
        long holdMillis = cfg.isLongPollingEnable()
                ? Math.max(0, Math.min(suspendTimeout, cfg.getPullHoldMaxSuspendMillis()))
                : cfg.getShortPollingTimeMills();
        PullRequestHoldService.Admission admission = broker.holdService().hold(new PullRequestHoldService.HeldPull(
                request, channel, topic, queueId, offset, filter, System.currentTimeMillis() + holdMillis));
        return switch (admission) {
            case HELD -> null;
            case CONNECTION_FULL -> busy(request, "[PULL_HOLD_LIMIT]this connection already holds "
                    + cfg.getPullHoldMaxRequestsPerConnection() + " pulls (pullHoldMaxRequestsPerConnection)");
            case BROKER_FULL -> busy(request, "[PULL_HOLD_LIMIT]the broker already holds "
                    + cfg.getPullHoldMaxRequests() + " pulls (pullHoldMaxRequests)");
        };
    }

    private static RemotingCommand busy(RemotingCommand request, String remark) {
        return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_BUSY, remark);
    }

    /**
     * A slave serves a topic its replicated commitlog holds even before the metadata sync brought the
     * topic's config (say the master died seconds after creating it), with the queues found in the store.
     */
    private TopicConfig replicatedTopic(String topicName) {
        int queues = broker.store().queueCount(topicName);
        return queues == 0 ? null : new TopicConfig(topicName, queues, queues, Perm.READ | Perm.WRITE);
    }

    private static byte[] concat(GetResult r) {
        byte[] out = new byte[r.totalBytes()];
        int pos = 0;
        for (ByteBuffer b : r.records()) {
            int n = b.remaining();
            b.get(b.position(), out, pos, n);
            pos += n;
        }
        return out;
    }
}
