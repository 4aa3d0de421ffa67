package io.rocketcluster.broker.admin;

import io.netty.channel.Channel;
import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.topic.TopicValidator;
import io.rocketcluster.remoting.data.Perm;
import io.rocketcluster.remoting.data.TopicConfig;
import io.rocketcluster.remoting.data.TopicList;
import io.rocketcluster.remoting.data.TopicOffset;
import io.rocketcluster.remoting.data.TopicStatsTable;
import io.rocketcluster.remoting.netty.RemotingEndpoint;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Topics from admin tools (docs/remoting.md §7): UPDATE_AND_CREATE_TOPIC (17), DELETE_TOPIC_IN_BROKER
 * (215), GET_TOPIC_STATS_INFO (202) and GET_SYSTEM_TOPIC_LIST_FROM_BROKER (305).
 *
 * <p>A created or changed topic is persisted with a new topic DataVersion and registered with every
 * nameserver before the answer, so a route lookup right after sees it. A deleted topic loses its
 * config, consume queues, committed offsets and statistics; its commitlog records age out with
 * retention, and the nameservers forget it through DELETE_TOPIC_IN_NAMESRV, which the tools send next.
 * Thread-safe (changes are serialized).
 */
final class TopicAdminProcessor implements RequestProcessor {
    private static final Logger LOG = LogManager.getLogger(TopicAdminProcessor.class);
    /** Queue counts accepted from tools (BenchmarkTest, the largest built-in topic, has 1024). */
    static final int MAX_QUEUE_NUMS = 1024;
    private static final int ALL_PERMS = Perm.PRIORITY | Perm.READ | Perm.WRITE | Perm.INHERIT;

    private final BrokerController broker;

    TopicAdminProcessor(BrokerController broker) {
        this.broker = broker;
    }

    static int[] codes() {
        return new int[] {RequestCode.UPDATE_AND_CREATE_TOPIC, RequestCode.DELETE_TOPIC_IN_BROKER,
            RequestCode.GET_TOPIC_STATS_INFO, RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER};
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        return switch (request.code()) {
            case RequestCode.UPDATE_AND_CREATE_TOPIC -> createOrUpdate(channel, request);
            case RequestCode.DELETE_TOPIC_IN_BROKER -> delete(channel, request);
            case RequestCode.GET_TOPIC_STATS_INFO -> stats(request);
            case RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER ->
                    Replies.ok(request, new TopicList(SystemTopics.of(broker.brokerConfig())));
            default -> throw new IllegalArgumentException("unexpected code " + request.code());
        };
    }

    private synchronized RemotingCommand createOrUpdate(Channel channel, RemotingCommand request) {
        RemotingCommand refused = Replies.refuseOnSlave(broker, request);
        if (refused != null) {
            return refused;
        }
        String topic = request.require("topic");
        String invalid = checkName(topic);
        if (invalid != null) {
            return Replies.error(request, ResponseCode.SYSTEM_ERROR, invalid);
        }
        TopicConfig c = new TopicConfig(topic, request.requireInt("readQueueNums"),
                request.requireInt("writeQueueNums"), request.requireInt("perm"));
        c.topicFilterType = Replies.isBlank(request.get("topicFilterType")) ? "SINGLE_TAG" : request.get("topicFilterType");
        c.topicSysFlag = request.getInt("topicSysFlag", 0);
        c.order = request.getBoolean("order", false);
        invalid = checkValues(c);
        if (invalid != null) {
            return Replies.error(request, ResponseCode.SYSTEM_ERROR, invalid);
        }
        LOG.info("topic {} {} by {}: read {} write {} perm {}", topic,
                broker.topics().get(topic) == null ? "created" : "updated", RemotingEndpoint.address(channel),
                c.readQueueNums, c.writeQueueNums, c.perm);
        broker.topics().update(c);
        broker.registerWithNameServersAndWait();
        return Replies.ok(request);
    }

    private synchronized RemotingCommand delete(Channel channel, RemotingCommand request) {
        RemotingCommand refused = Replies.refuseOnSlave(broker, request);
        if (refused != null) {
            return refused;
        }
        String topic = request.require("topic");
        String invalid = checkName(topic);
        if (invalid != null) {
            return Replies.error(request, ResponseCode.SYSTEM_ERROR, invalid);
        }
        boolean existed = broker.topics().delete(topic);
        broker.store().deleteTopic(topic);
        broker.offsets().removeTopic(topic);
        broker.stats().traffic().removeTopic(topic);
        LOG.info("topic {} deleted by {}{}", topic, RemotingEndpoint.address(channel), existed ? "" : " (had no config)");
        return Replies.ok(request);
    }

    /** Why tools may not create or delete {@code topic}, or null. */
    private String checkName(String topic) {
        String illegal = TopicValidator.check(topic);
        if (illegal != null) {
            return illegal;
        }
        if (SystemTopics.isSystem(broker.brokerConfig(), topic)) {
            return "The topic[" + topic + "] is conflict with system topic.";
        }
        return null;
    }

    private static String checkValues(TopicConfig c) {
        if (c.readQueueNums < 0 || c.readQueueNums > MAX_QUEUE_NUMS || c.writeQueueNums < 0
                || c.writeQueueNums > MAX_QUEUE_NUMS || c.readQueueNums + c.writeQueueNums == 0) {
            return "readQueueNums " + c.readQueueNums + " and writeQueueNums " + c.writeQueueNums
                    + " must be within 0.." + MAX_QUEUE_NUMS + " and not both 0";
        }
        if (c.perm < 0 || (c.perm & ~ALL_PERMS) != 0) {
            return "perm " + c.perm + " is not a combination of 2 (write), 4 (read), 1 (inherit) and 8 (priority)";
        }
        if (!"SINGLE_TAG".equals(c.topicFilterType) && !"MULTI_TAG".equals(c.topicFilterType)) {
            return "topicFilterType " + c.topicFilterType + " is not SINGLE_TAG or MULTI_TAG";
        }
        return null;
    }

    private RemotingCommand stats(RemotingCommand request) {
        String topic = request.require("topic");
        TopicConfig c = broker.topics().get(topic);
        if (c == null) {
            return Replies.error(request, ResponseCode.TOPIC_NOT_EXIST, "topic[" + topic + "] not exist");
        }
        TopicStatsTable table = new TopicStatsTable();
        for (int q = 0; q < c.writeQueueNums; q++) {
            long min = Math.max(0, broker.store().minOffset(topic, q));
            long max = Math.max(0, broker.store().maxOffset(topic, q));
            long last = max > 0 ? Math.max(0, broker.store().storeTime(topic, q, max - 1)) : 0;
            table.offsetTable.put(Replies.queue(broker, topic, q), new TopicOffset(min, max, last));
        }
        return Replies.ok(request, table);
    }
}
