package io.rocketcluster.broker.processor;

import io.netty.channel.Channel;
import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.store.MessageProperties;
import io.rocketcluster.broker.store.MessageRecord;
import io.rocketcluster.broker.store.MessageToStore;
import io.rocketcluster.broker.store.StoredMessage;
import io.rocketcluster.broker.topic.GroupValidator;
import io.rocketcluster.broker.topic.TopicValidator;
import io.rocketcluster.remoting.data.Perm;
import io.rocketcluster.remoting.data.SubscriptionGroupConfig;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RemotingVersion;
import io.rocketcluster.remoting.protocol.ResponseCode;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * CONSUMER_SEND_MSG_BACK (docs/store-layout.md §15): a message the consumer could not process goes to the
 * group's retry topic {@code %RETRY%<group>} with delay level 3 + reconsumeTimes (or the level the
 * consumer asked for), and after {@code maxReconsumeTimes} attempts to the dead-letter topic
 * {@code %DLQ%<group>}. The consumer gets SUCCESS only once the retry or dead-letter copy is as
 * durable as the broker's flush and replication mode make a send; otherwise SYSTEM_ERROR (it then
 * retries, so the message is never lost between the two topics).
 */
public final class SendBackProcessor implements RequestProcessor {
    private final BrokerController broker;

    public SendBackProcessor(BrokerController broker) {
        this.broker = broker;
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        return processAsync(channel, request).join();
    }

    @Override
    public CompletableFuture<RemotingCommand> processAsync(Channel channel, RemotingCommand request) {
        long offset = request.requireLong("offset");
        String group = request.require("group");
        int delayLevel = request.requireInt("delayLevel");
        String illegal = GroupValidator.checkConsumerGroup(group); // it names %RETRY%<group> and %DLQ%<group>
        if (illegal != null) {
            return done(request, ResponseCode.SYSTEM_ERROR, illegal);
        }
        SubscriptionGroupConfig groupConfig = broker.groups().findOrCreate(group);
        if (groupConfig == null) {
            return done(request, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, broker.groups().whyAbsent(group));
        }
        if (!Perm.writable(broker.brokerConfig().getBrokerPermission()) || broker.isSlave()) {
            return done(request, ResponseCode.NO_PERMISSION, "the broker[" + broker.brokerConfig().getBrokerName()
                    + "] sending message is forbidden");
        }
        if (groupConfig.retryQueueNums <= 0) {
            return done(request, ResponseCode.SUCCESS, null);
        }
        StoredMessage original = broker.store().messageAt(offset);
        if (original == null) {
            return done(request, ResponseCode.SYSTEM_ERROR, "look message by offset failed, " + offset);
        }
        int maxReconsumeTimes = groupConfig.retryMaxTimes;
        String headerMax = request.get("maxReconsumeTimes");
        if (request.version() >= RemotingVersion.V3_4_9 && headerMax != null && !headerMax.isEmpty()) {
            maxReconsumeTimes = request.getInt("maxReconsumeTimes", maxReconsumeTimes);
        }
        Map<String, String> props = MessageProperties.parse(original.properties());
        props.putIfAbsent(MessageProperties.RETRY_TOPIC, original.topic());
        props.putIfAbsent("ORIGIN_MESSAGE_ID", MessageRecord.offsetMsgId(original.storeHost(), original.physicalOffset()));
        props.remove(MessageProperties.WAIT);

        MessageToStore m = original.copy();
        int reconsumeTimes = original.reconsumeTimes();
        if (reconsumeTimes >= maxReconsumeTimes || delayLevel < 0) {
            String dlq = TopicValidator.DLQ_PREFIX + group;
            broker.topics().createRetryTopic(dlq, 1);
            m.topic = dlq;
            m.queueId = 0;
            props.remove(MessageProperties.DELAY);
        } else {
            String retry = TopicValidator.retryTopic(group);
            broker.topics().createRetryTopic(retry, groupConfig.retryQueueNums);
            m.topic = retry;
            m.queueId = ThreadLocalRandom.current().nextInt(groupConfig.retryQueueNums);
            props.put(MessageProperties.DELAY, String.valueOf(delayLevel == 0 ? 3 + reconsumeTimes : delayLevel));
        }
        m.properties = MessageProperties.format(props);
        m.reconsumeTimes = reconsumeTimes + 1;
        m.storeHost = broker.storeHost();
        return broker.store().put(m, true).thenApply(r -> switch (r.status()) {
            case PUT_OK -> RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null);
            default -> RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, r.status().name());
        });
    }

    private static CompletableFuture<RemotingCommand> done(RemotingCommand request, int code, String remark) {
        return CompletableFuture.completedFuture(RemotingCommand.responseTo(request, code, remark));
    }
}
