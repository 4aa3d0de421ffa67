package io.rocketcluster.broker.client;

import io.netty.channel.Channel;
import io.rocketcluster.remoting.protocol.LanguageCode;

/** One connected client of a group, refreshed by every heartbeat. */
public final class ClientChannelInfo {
    private final Channel channel;
    private final String clientId;
    private final LanguageCode language;
    private final int version;
    private volatile long lastUpdateTimestamp;

    public ClientChannelInfo(Channel channel, String clientId, LanguageCode language, int version, long now) {
        this.channel = channel;
        this.clientId = clientId;
        this.language = language;
        this.version = version;
        this.lastUpdateTimestamp = now;
    }

    public Channel channel() {
        return channel;
    }

    public String clientId() {
        return clientId;
    }

    public LanguageCode language() {
        return language;
    }

    public int version() {
        return version;
    }

    public long lastUpdateTimestamp() {
        return lastUpdateTimestamp;
    }

    void touch(long now) {
        lastUpdateTimestamp = now;
    }
}
