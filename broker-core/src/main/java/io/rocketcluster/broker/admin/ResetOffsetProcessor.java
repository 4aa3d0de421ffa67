package io.rocketcluster.broker.admin;

import io.netty.channel.Channel;
import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.client.ClientChannelInfo;
import io.rocketcluster.broker.client.ConsumerGroupInfo;
import io.rocketcluster.broker.topic.GroupValidator;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.MessageQueue;
import io.rocketcluster.remoting.data.ResetOffsetBody;
import io.rocketcluster.remoting.data.ResetOffsetBodyForC;
import io.rocketcluster.remoting.data.TopicConfig;
import io.rocketcluster.remoting.netty.RemotingEndpoint;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.LanguageCode;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.Map;
import java.util.function.Function;

/**
 * INVOKE_BROKER_TO_RESET_OFFSET (222, docs/remoting.md §7): computes the new offset of each queue of the
 * topic for the group (the offset at {@code timestamp}, or the max offset for -1; kept at the
 * committed offset unless forced or earlier) and tells every online member of the group with
 * RESET_CONSUMER_CLIENT_OFFSET (220, oneway). The consumers then move and commit; the broker does not
 * write the offsets itself. No member online → 206 CONSUMER_NOT_ONLINE, on which mqadmin resets the
 * committed offsets directly. Thread-safe.
 */
final class ResetOffsetProcessor implements RequestProcessor {
    private static final Logger LOG = LogManager.getLogger(ResetOffsetProcessor.class);
    /** Clients older than V3_0_7_SNAPSHOT cannot reset. */
    private static final int MIN_CLIENT_VERSION = 28;

    private final BrokerController broker;
    private final Function<Channel, RemotingEndpoint> endpoints;

    ResetOffsetProcessor(BrokerController broker, Function<Channel, RemotingEndpoint> endpoints) {
        this.broker = broker;
        this.endpoints = endpoints;
    }

    static int[] codes() {
        return new int[] {RequestCode.INVOKE_BROKER_TO_RESET_OFFSET};
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        String topic = request.require("topic");
        String group = request.require("group");
        String invalid = GroupValidator.check(group);
        if (invalid != null) {
            return Replies.error(request, ResponseCode.SYSTEM_ERROR, invalid);
        }
        long timestamp = request.requireLong("timestamp");
        boolean force = request.getBoolean("isForce", false);
        TopicConfig c = broker.topics().get(topic);
        if (c == null) {
            return Replies.error(request, ResponseCode.SYSTEM_ERROR,
                    "[reset-offset] reset offset failed, no topic in this broker. topic=" + topic);
        }
        ResetOffsetBody offsets = new ResetOffsetBody();
        for (int q = 0; q < c.writeQueueNums; q++) {
            long committed = broker.offsets().query(group, topic, q);
            if (committed == -1) {
                return Replies.error(request, ResponseCode.SYSTEM_ERROR,
                        String.format("THe consumer group <%s> not exist", group));
            }
            long target = timestamp == -1 ? broker.store().maxOffset(topic, q)
                    : broker.store().offsetByTime(topic, q, timestamp);
            target = Math.max(0, target);
            offsets.offsetTable.put(Replies.queue(broker, topic, q), force || target < committed ? target : committed);
        }
        ConsumerGroupInfo info = broker.consumers().group(group);
        if (info == null || info.channels().isEmpty()) {
            return Replies.error(request, ResponseCode.CONSUMER_NOT_ONLINE, String.format(
                    "Consumer not online, so can not reset offset, Group: %s Topic: %s Timestamp: %d", group, topic, timestamp));
        }
        for (ClientChannelInfo member : info.channels().values()) {
            if (member.version() < MIN_CLIENT_VERSION) {
                return Replies.error(request, ResponseCode.SYSTEM_ERROR,
                        "the client does not support this feature. version=" + member.version());
            }
        }
        for (ClientChannelInfo member : info.channels().values()) {
            RemotingCommand reset = RemotingCommand.request(RequestCode.RESET_CONSUMER_CLIENT_OFFSET)
                    .put("topic", topic).put("group", group).put("timestamp", timestamp).put("isForce", force)
                    .body(body(offsets, member.language()));
            endpoints.apply(member.channel()).invokeOneway(member.channel(), reset);
        }
        LOG.info("[reset-offset] group {} topic {} timestamp {} force {} requested by {}: {} sent to {} consumers",
                group, topic, timestamp, force, RemotingEndpoint.address(channel), offsets.offsetTable.values(),
                info.channels().size());
        return Replies.ok(request).body(body(offsets, request.language()));
    }

    /** The body in the shape the receiver's language reads: a list for C++, a queue-keyed map otherwise. */
    private static byte[] body(ResetOffsetBody offsets, LanguageCode language) {
        if (language != LanguageCode.CPP) {
            return Json.encode(offsets);
        }
        ResetOffsetBodyForC forC = new ResetOffsetBodyForC();
        for (Map.Entry<MessageQueue, Long> e : offsets.offsetTable.entrySet()) {
            forC.offsetTable.add(new ResetOffsetBodyForC.QueueOffset(e.getKey(), e.getValue()));
        }
        return Json.encode(forC);
    }
}
