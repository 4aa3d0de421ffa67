package io.rocketcluster.broker.client;

import io.netty.channel.Channel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** Producer groups known from heartbeats (used for transaction checks and admin). Thread-safe. */
public final class ProducerManager {
    private final Map<String, Map<Channel, ClientChannelInfo>> groups = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public ProducerManager(LongSupplier clock) {
        this.clock = clock;
    }

    public void register(String group, ClientChannelInfo client) {
        Map<Channel, ClientChannelInfo> m = groups.computeIfAbsent(group, g -> new ConcurrentHashMap<>());
        ClientChannelInfo existing = m.putIfAbsent(client.channel(), client);
        if (existing != null) {
            existing.touch(clock.getAsLong());
        }
    }

    public void unregister(String group, Channel channel) {
        Map<Channel, ClientChannelInfo> m = groups.get(group);
        if (m != null) {
            m.remove(channel);
            if (m.isEmpty()) {
                groups.remove(group, m);
            }
        }
    }

    public void channelClosed(Channel channel) {
        groups.values().forEach(m -> m.remove(channel));
        groups.values().removeIf(Map::isEmpty);
    }

    public void expire(long timeoutMillis) {
        long now = clock.getAsLong();
        groups.values().forEach(m -> m.values().removeIf(c -> now - c.lastUpdateTimestamp() > timeoutMillis));
        groups.values().removeIf(Map::isEmpty);
    }

    public Map<Channel, ClientChannelInfo> group(String group) {
        return groups.getOrDefault(group, Map.of());
    }

    /** Every producer group with its members (a live, unmodifiable view). */
    public Map<String, Map<Channel, ClientChannelInfo>> groups() {
        return java.util.Collections.unmodifiableMap(groups);
    }
}
