package io.rocketcluster.broker.client;

import io.netty.channel.Channel;
import io.rocketcluster.remoting.data.SubscriptionData;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The live members of one consumer group and what they subscribe. Thread-safe. */
public final class ConsumerGroupInfo {
    private final String groupName;
    private final Map<Channel, ClientChannelInfo> channels = new ConcurrentHashMap<>();
    private final Map<String, SubscriptionData> subscriptions = new ConcurrentHashMap<>();
    private volatile String consumeType;
    private volatile String messageModel;
    private volatile String consumeFromWhere;

    ConsumerGroupInfo(String groupName) {
        this.groupName = groupName;
    }

    public String groupName() {
        return groupName;
    }

    public String consumeType() {
        return consumeType;
    }

    public String messageModel() {
        return messageModel;
    }

    public String consumeFromWhere() {
        return consumeFromWhere;
    }

    public Map<Channel, ClientChannelInfo> channels() {
        return channels;
    }

    public SubscriptionData subscription(String topic) {
        return subscriptions.get(topic);
    }

    public Map<String, SubscriptionData> subscriptions() {
        return subscriptions;
    }

    public List<String> clientIds() {
        return channels.values().stream().map(ClientChannelInfo::clientId).toList();
    }

    /** Records a heartbeat; true when a new channel joined. */
    synchronized boolean updateChannel(ClientChannelInfo info, String consumeType, String messageModel,
                                       String consumeFromWhere, long now) {
        this.consumeType = consumeType;
        this.messageModel = messageModel;
        this.consumeFromWhere = consumeFromWhere;
        ClientChannelInfo existing = channels.get(info.channel());
        if (existing == null) {
            channels.put(info.channel(), info);
            return true;
        }
        existing.touch(now);
        return false;
    }

    /**
     * Replaces the subscriptions with a heartbeat's set; true when a topic was added or removed
     * (a newer version of an existing topic's subscription replaces it without counting as a change).
     */
    synchronized boolean updateSubscriptions(List<SubscriptionData> subs) {
        boolean changed = false;
        Map<String, SubscriptionData> incoming = new java.util.HashMap<>();
        for (SubscriptionData s : subs) {
            incoming.put(s.topic, s);
        }
        for (Map.Entry<String, SubscriptionData> e : incoming.entrySet()) {
            SubscriptionData old = subscriptions.get(e.getKey());
            if (old == null) {
                subscriptions.put(e.getKey(), e.getValue());
                changed = true;
            } else if (e.getValue().subVersion > old.subVersion) {
                subscriptions.put(e.getKey(), e.getValue());
            }
        }
        if (subscriptions.keySet().retainAll(incoming.keySet())) {
            changed = true;
        }
        return changed;
    }

    boolean removeChannel(Channel channel) {
        return channels.remove(channel) != null;
    }

    /** Removes members silent for longer than {@code timeoutMillis}; true when any was removed. */
    boolean expire(long now, long timeoutMillis) {
        return channels.values().removeIf(c -> {
            boolean expired = now - c.lastUpdateTimestamp() > timeoutMillis;
            if (expired) {
                c.channel().close();
            }
            return expired;
        });
    }
}
