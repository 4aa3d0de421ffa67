package io.rocketcluster.broker.client;

import io.netty.channel.Channel;
import io.rocketcluster.remoting.data.ConsumerData;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Consumer groups known from heartbeats. When a group's members or subscribed topics change, the
 * listener is told (the broker then sends NOTIFY_CONSUMER_IDS_CHANGED to every member).
 * Thread-safe.
 */
public final class ConsumerManager {
    private static final Logger LOG = LogManager.getLogger(ConsumerManager.class);

    private final Map<String, ConsumerGroupInfo> groups = new ConcurrentHashMap<>();
    private final Consumer<ConsumerGroupInfo> idsChanged;
    private final LongSupplier clock;

    public ConsumerManager(Consumer<ConsumerGroupInfo> idsChanged, LongSupplier clock) {
        this.idsChanged = idsChanged;
        this.clock = clock;
    }

    public ConsumerGroupInfo group(String group) {
        return groups.get(group);
    }

    public Map<String, ConsumerGroupInfo> groups() {
        return groups;
    }

    /** Records one consumer group of a heartbeat; notifies the group if it changed. */
    public void register(ClientChannelInfo client, ConsumerData data, boolean notifyEnabled) {
        ConsumerGroupInfo g = groups.computeIfAbsent(data.groupName, ConsumerGroupInfo::new);
        boolean changed = g.updateChannel(client, data.consumeType, data.messageModel, data.consumeFromWhere,
                clock.getAsLong());
        if (g.updateSubscriptions(data.subscriptionDataSet)) {
            changed = true;
        }
        if (changed) {
            LOG.info("consumer group {} changed: {} members", data.groupName, g.channels().size());
            if (notifyEnabled) {
                idsChanged.accept(g);
            }
        }
    }

    public void unregister(String group, Channel channel, boolean notifyEnabled) {
        ConsumerGroupInfo g = groups.get(group);
        if (g != null && g.removeChannel(channel)) {
            afterRemoval(g, notifyEnabled);
        }
    }

    /** A connection closed: it leaves every group it was in. */
    public void channelClosed(Channel channel) {
        for (ConsumerGroupInfo g : groups.values()) {
            if (g.removeChannel(channel)) {
                afterRemoval(g, true);
            }
        }
    }

    /** Drops members whose last heartbeat is older than {@code timeoutMillis}. */
    public void expire(long timeoutMillis) {
        long now = clock.getAsLong();
        for (ConsumerGroupInfo g : groups.values()) {
            if (g.expire(now, timeoutMillis)) {
                afterRemoval(g, true);
            }
        }
    }

    private void afterRemoval(ConsumerGroupInfo g, boolean notify) {
        if (g.channels().isEmpty()) {
            groups.remove(g.groupName(), g);
        } else if (notify) {
            idsChanged.accept(g);
        }
    }
}
