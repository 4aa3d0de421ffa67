package io.rocketcluster.broker.admin;

import io.netty.channel.Channel;
import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.topic.GroupValidator;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.SubscriptionGroupConfig;
import io.rocketcluster.remoting.netty.RemotingEndpoint;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Subscription groups from admin tools (docs/remoting.md §7): UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200,
 * body = the group's config, created or replaced) and DELETE_SUBSCRIPTIONGROUP (207, optionally with
 * the group's committed offsets). Both bump the group table's DataVersion and persist it, which is
 * how slaves pick the change up. Refused on a slave. Thread-safe.
 */
final class GroupAdminProcessor implements RequestProcessor {
    private static final Logger LOG = LogManager.getLogger(GroupAdminProcessor.class);

    private final BrokerController broker;

    GroupAdminProcessor(BrokerController broker) {
        this.broker = broker;
    }

    static int[] codes() {
        return new int[] {RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, RequestCode.DELETE_SUBSCRIPTIONGROUP};
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        RemotingCommand refused = Replies.refuseOnSlave(broker, request);
        if (refused != null) {
            return refused;
        }
        return switch (request.code()) {
            case RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP -> update(channel, request);
            case RequestCode.DELETE_SUBSCRIPTIONGROUP -> delete(channel, request);
            default -> throw new IllegalArgumentException("unexpected code " + request.code());
        };
    }

    private RemotingCommand update(Channel channel, RemotingCommand request) {
        SubscriptionGroupConfig c = Json.decode(request.body(), SubscriptionGroupConfig.class);
        String invalid = checkName(c.groupName);
        if (invalid == null && (c.retryQueueNums < 0 || c.retryMaxTimes < 0)) {
            invalid = "retryQueueNums and retryMaxTimes must not be negative";
        }
        if (invalid != null) {
            return Replies.error(request, ResponseCode.SYSTEM_ERROR, invalid);
        }
        broker.groups().update(c);
        LOG.info("subscription group {} updated by {}: consumeEnable {} broadcast {} retryQueueNums {} retryMaxTimes {}",
                c.groupName, RemotingEndpoint.address(channel), c.consumeEnable, c.consumeBroadcastEnable,
                c.retryQueueNums, c.retryMaxTimes);
        return Replies.ok(request);
    }

    private RemotingCommand delete(Channel channel, RemotingCommand request) {
        String group = request.require("groupName");
        String invalid = GroupValidator.check(group);
        if (invalid != null && !broker.groups().snapshot().subscriptionGroupTable.containsKey(group)) {
            // an existing group (say, created before names were checked) can always be deleted
            return Replies.error(request, ResponseCode.SYSTEM_ERROR, invalid);
        }
        boolean removeOffset = request.getBoolean("removeOffset", false);
        boolean existed = broker.groups().delete(group);
        if (removeOffset) {
            broker.offsets().removeGroup(group);
        }
        broker.stats().traffic().removeGroup(group);
        LOG.info("subscription group {} deleted by {}{}{}", group, RemotingEndpoint.address(channel),
                removeOffset ? " with its offsets" : "", existed ? "" : " (it had no config)");
        return Replies.ok(request);
    }

    /** Why {@code group} cannot be a subscription (consumer) group, or null. */
    static String checkName(String group) {
        return GroupValidator.checkConsumerGroup(group);
    }
}
