package io.rocketcluster.broker.processor;

import io.netty.channel.Channel;
import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.config.BrokerRole;
import io.rocketcluster.broker.store.MessageProperties;
import io.rocketcluster.broker.store.MessageRecord;
import io.rocketcluster.broker.store.MessageToStore;
import io.rocketcluster.broker.store.PutResult;
import io.rocketcluster.broker.topic.GroupValidator;
import io.rocketcluster.broker.topic.TopicValidator;
import io.rocketcluster.remoting.data.Perm;
import io.rocketcluster.remoting.data.TopicConfig;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/** SEND_MESSAGE, SEND_MESSAGE_V2 and SEND_BATCH_MESSAGE (docs/remoting.md §5). */
public final class SendMessageProcessor implements RequestProcessor {
    private final BrokerController broker;

    public SendMessageProcessor(BrokerController broker) {
        this.broker = broker;
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) throws Exception {
        return processAsync(channel, request).join();
    }

    /** Refuses sends once the broker is shutting down and counts accepted ones until answered. */
    @Override
    public CompletableFuture<RemotingCommand> processAsync(Channel channel, RemotingCommand request) {
        if (!broker.inFlightSends().enter()) {
            return done(newResponse(request), ResponseCode.SERVICE_NOT_AVAILABLE,
                    "the broker[" + broker.brokerConfig().getBrokerName() + "] is shutting down");
        }
        CompletableFuture<RemotingCommand> answered;
        try {
            answered = send(channel, request);
        } catch (RuntimeException e) {
            broker.inFlightSends().exit();
            throw e;
        }
        return answered.whenComplete((r, e) -> broker.inFlightSends().exit());
    }

    private RemotingCommand newResponse(RemotingCommand request) {
        RemotingCommand response = RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, null);
        response.put("MSG_REGION", broker.brokerConfig().getRegionId());
        response.put("TRACE_ON", broker.brokerConfig().isTraceOn());
        return response;
    }

    private CompletableFuture<RemotingCommand> send(Channel channel, RemotingCommand request) {
        SendHeader h = SendHeader.parse(request);
        RemotingCommand response = newResponse(request);

        if (h.topic() != null && TopicValidator.isRetryTopic(h.topic())) {
            String illegal = GroupValidator.check(h.topic().substring(TopicValidator.RETRY_PREFIX.length()));
            if (illegal != null) {
                return done(response, ResponseCode.SYSTEM_ERROR, illegal);
            }
        }
        TopicConfig topic = checkTopic(h, response);
        if (topic == null) {
            return CompletableFuture.completedFuture(response);
        }
        if (TopicValidator.isRetryTopic(h.topic())) {
            TopicConfig dlq = deadLetterIfExhausted(request, h);
            if (dlq != null) {
                topic = dlq;
                h = h.redirectedTo(dlq.topicName, 0);
            }
        }
        int queueId = h.queueId();
        if (queueId < 0) {
            queueId = ThreadLocalRandom.current().nextInt(Math.max(1, topic.writeQueueNums));
        } else if (queueId >= Math.max(topic.readQueueNums, topic.writeQueueNums)) {
            return done(response, ResponseCode.SYSTEM_ERROR, "request queueId[" + queueId + "] is illegal, "
                    + topic + " Producer: " + address(channel));
        }
        if (broker.storeConfig().getBrokerRole() == BrokerRole.SLAVE) {
            return done(response, ResponseCode.SERVICE_NOT_AVAILABLE,
                    "the broker[" + broker.brokerConfig().getBrokerName() + "] is a slave, sending is not allowed");
        }
        int sysFlag = h.sysFlag();
        if ("MULTI_TAG".equals(topic.topicFilterType)) {
            sysFlag |= MessageRecord.SYSFLAG_MULTI_TAGS;
        }
        InetSocketAddress bornHost = (InetSocketAddress) channel.remoteAddress();
        if (request.code() == RequestCode.SEND_BATCH_MESSAGE) {
            return sendBatch(request, h, queueId, sysFlag, bornHost, response);
        }
        byte[] body = request.body() == null ? new byte[0] : request.body();
        if (body.length > broker.storeConfig().getMaxMessageSize()) {
            return done(response, ResponseCode.MESSAGE_ILLEGAL, "the message body size " + body.length
                    + " exceeds maxMessageSize " + broker.storeConfig().getMaxMessageSize());
        }
        String tooLong = propertiesTooLong(h.properties());
        if (tooLong != null) {
            return done(response, ResponseCode.MESSAGE_ILLEGAL, tooLong);
        }
        Map<String, String> props = MessageProperties.parse(h.properties());
        boolean wait = !"false".equals(props.remove(MessageProperties.WAIT));
        props.put(MessageProperties.CLUSTER, broker.brokerConfig().getBrokerClusterName());
        String properties = MessageProperties.format(props);
        if (properties.getBytes(StandardCharsets.UTF_8).length > MessageRecord.MAX_PROPERTIES_LENGTH) {
            return done(response, ResponseCode.MESSAGE_ILLEGAL, "the message properties exceed "
                    + MessageRecord.MAX_PROPERTIES_LENGTH + " bytes");
        }
        MessageToStore m = message(h, queueId, sysFlag, body, properties, bornHost);
        if ((sysFlag & MessageRecord.SYSFLAG_TRANSACTION_MASK) == MessageRecord.SYSFLAG_TRANSACTION_PREPARED) {
            if (broker.brokerConfig().isRejectTransactionMessage()) {
                return done(response, ResponseCode.NO_PERMISSION, "the broker[" + broker.brokerConfig().getBrokerName()
                        + "] sending transaction message is forbidden");
            }
            broker.transactions().toHalf(m);
        }
        int qid = queueId;
        String stored = h.topic();
        return broker.store().put(m, wait).thenApply(r -> toResponse(response, r, qid, stored));
    }

    /**
     * Checked before anything parses the properties: a record holds at most
     * {@link MessageRecord#MAX_PROPERTIES_LENGTH} bytes of them, and each char is at least one byte.
     */
    private static String propertiesTooLong(String properties) {
        if (properties != null && properties.length() > MessageRecord.MAX_PROPERTIES_LENGTH) {
            return "the message properties (" + properties.length() + " characters) exceed "
                    + MessageRecord.MAX_PROPERTIES_LENGTH + " bytes";
        }
        return null;
    }

    private CompletableFuture<RemotingCommand> sendBatch(RemotingCommand request, SendHeader h, int queueId,
                                                         int sysFlag, InetSocketAddress bornHost,
                                                         RemotingCommand response) {
        List<BatchBody.Entry> entries = BatchBody.decode(request.body());
        if (entries.isEmpty()) {
            return done(response, ResponseCode.MESSAGE_ILLEGAL, "the batch is empty");
        }
        String tooLong = propertiesTooLong(h.properties());
        if (tooLong != null) {
            return done(response, ResponseCode.MESSAGE_ILLEGAL, tooLong);
        }
        Map<String, String> batchProps = MessageProperties.parse(h.properties());
        boolean wait = !"false".equals(batchProps.remove(MessageProperties.WAIT));
        batchProps.put(MessageProperties.CLUSTER, broker.brokerConfig().getBrokerClusterName());
        List<MessageToStore> batch = new ArrayList<>(entries.size());
        for (BatchBody.Entry e : entries) {
            if (e.body().length > broker.storeConfig().getMaxMessageSize()) {
                return done(response, ResponseCode.MESSAGE_ILLEGAL, "a message body of " + e.body().length
                        + " bytes exceeds maxMessageSize " + broker.storeConfig().getMaxMessageSize());
            }
            Map<String, String> props = MessageProperties.parse(e.properties());
            props.remove(MessageProperties.WAIT);
            props.putAll(batchProps);
            String properties = MessageProperties.format(props);
            if (properties.getBytes(StandardCharsets.UTF_8).length > MessageRecord.MAX_PROPERTIES_LENGTH) {
                return done(response, ResponseCode.MESSAGE_ILLEGAL, "message properties exceed "
                        + MessageRecord.MAX_PROPERTIES_LENGTH + " bytes");
            }
            MessageToStore m = message(h, queueId, sysFlag, e.body(), properties, bornHost);
            m.flag = e.flag();
            batch.add(m);
        }
        return broker.store().putBatch(batch, wait).thenApply(r -> toResponse(response, r, queueId, h.topic()));
    }

    /**
     * A send to {@code %RETRY%<group>} (the client's own fallback when send-back failed) whose
     * reconsume count reached the limit goes to {@code %DLQ%<group>} instead (docs/store-layout.md §15).
     */
    private TopicConfig deadLetterIfExhausted(RemotingCommand request, SendHeader h) {
        String group = h.topic().substring(TopicValidator.RETRY_PREFIX.length());
        io.rocketcluster.remoting.data.SubscriptionGroupConfig groupConfig = broker.groups().findOrCreate(group);
        int max = groupConfig == null ? 16 : groupConfig.retryMaxTimes;
        if (request.version() >= io.rocketcluster.remoting.protocol.RemotingVersion.V3_4_9 && h.maxReconsumeTimes() != null) {
            max = h.maxReconsumeTimes();
        }
        if (h.reconsumeTimes() < max) {
            return null;
        }
        return broker.topics().createRetryTopic(TopicValidator.DLQ_PREFIX + group, 1);
    }

    private MessageToStore message(SendHeader h, int queueId, int sysFlag, byte[] body, String properties,
                                   InetSocketAddress bornHost) {
        MessageToStore m = new MessageToStore();
        m.topic = h.topic();
        m.queueId = queueId;
        m.flag = h.flag();
        m.body = body;
        m.properties = properties;
        m.bornTimestamp = h.bornTimestamp();
        m.bornHost = bornHost;
        m.storeHost = broker.storeHost();
        m.sysFlag = sysFlag;
        m.reconsumeTimes = h.reconsumeTimes();
        return m;
    }

    /** Validates the topic and finds (or auto-creates) its config; null with the response filled on error. */
    private TopicConfig checkTopic(SendHeader h, RemotingCommand response) {
        String topicName = h.topic();
        String illegal = TopicValidator.check(topicName);
        if (illegal != null) {
            response.code(ResponseCode.SYSTEM_ERROR).remark(illegal);
            return null;
        }
        if (TopicValidator.isNotAllowedToSend(topicName)) {
            response.code(ResponseCode.NO_PERMISSION).remark("Sending message to topic[" + topicName + "] is forbidden.");
            return null;
        }
        TopicConfig topic = broker.topics().get(topicName);
        if (topic == null) {
            if (TopicValidator.isRetryTopic(topicName)) {
                topic = broker.topics().createRetryTopicOnSend(topicName);
            } else {
                topic = broker.topics().createOnSend(topicName, h.defaultTopic(), h.defaultTopicQueueNums(), 0);
            }
            if (topic != null) {
                broker.registerWithNameServers();
            }
        }
        if (topic == null) {
            String bound = broker.topics().autoCreateRefusal();
            response.code(ResponseCode.TOPIC_NOT_EXIST).remark("topic[" + topicName + "] not exist, apply first please!"
                    + (bound == null ? "" : " " + bound));
            return null;
        }
        if (!Perm.writable(broker.brokerConfig().getBrokerPermission()) && topic.order) {
            response.code(ResponseCode.NO_PERMISSION).remark("the broker[" + broker.brokerConfig().getBrokerName()
                    + "] sending message is forbidden");
            return null;
        }
        return topic;
    }

    private RemotingCommand toResponse(RemotingCommand response, PutResult r, int queueId, String topic) {
        int code = switch (r.status()) {
            case PUT_OK -> ResponseCode.SUCCESS;
            case FLUSH_DISK_TIMEOUT -> ResponseCode.FLUSH_DISK_TIMEOUT;
            case FLUSH_SLAVE_TIMEOUT -> ResponseCode.FLUSH_SLAVE_TIMEOUT;
            case SLAVE_NOT_AVAILABLE -> ResponseCode.SLAVE_NOT_AVAILABLE;
            case SERVICE_NOT_AVAILABLE, DISK_FULL -> ResponseCode.SERVICE_NOT_AVAILABLE;
            case MESSAGE_ILLEGAL, PROPERTIES_SIZE_EXCEEDED -> ResponseCode.MESSAGE_ILLEGAL;
            case UNKNOWN_ERROR -> ResponseCode.SYSTEM_ERROR;
        };
        response.code(code);
        if (r.isStored()) {
            broker.stats().recordPut(r.messageCount());
            broker.metrics().messagesIn(topic, r.messageCount(), r.wroteBytes());
        }
        if (code != ResponseCode.SUCCESS) {
            response.remark(switch (r.status()) {
                case DISK_FULL -> broker.store().diskFullReason();
                case SERVICE_NOT_AVAILABLE -> broker.store().fenceRefusal() != null ? broker.store().fenceRefusal()
                        : r.status().name();
                case MESSAGE_ILLEGAL, PROPERTIES_SIZE_EXCEEDED -> r.status() + ": the message cannot be stored (topic at most "
                        + io.rocketcluster.broker.store.RecordLimits.MAX_TOPIC_BYTES + " bytes, properties at most "
                        + io.rocketcluster.broker.store.RecordLimits.MAX_PROPERTIES_BYTES + " bytes, body at most maxMessageSize "
                        + broker.storeConfig().getMaxMessageSize() + ")";
                default -> r.status().name();
            });
        }
        if (r.isStored()) {
            response.put("msgId", r.msgIds());
            response.put("queueId", queueId);
            response.put("queueOffset", r.queueOffset());
        }
        return response;
    }

    private static CompletableFuture<RemotingCommand> done(RemotingCommand response, int code, String remark) {
        return CompletableFuture.completedFuture(response.code(code).remark(remark));
    }

    private static String address(Channel channel) {
        return io.rocketcluster.remoting.netty.RemotingEndpoint.address(channel);
    }
}
