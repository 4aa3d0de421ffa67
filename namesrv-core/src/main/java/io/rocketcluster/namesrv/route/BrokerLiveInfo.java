package io.rocketcluster.namesrv.route;

import io.netty.channel.Channel;
import io.rocketcluster.remoting.data.DataVersion;

/**
 * The liveness record of one broker address: when it last registered (or confirmed its data
 * version), the topic-table version it registered, its connection and its HA address.
 *
 * <p>Not thread-safe; guarded by the {@link RouteInfoManager} lock.
 */
final class BrokerLiveInfo {
    long lastUpdateTimestamp;
    final DataVersion dataVersion;
    final Channel channel;
    final String haServerAddr;

    BrokerLiveInfo(long lastUpdateTimestamp, DataVersion dataVersion, Channel channel, String haServerAddr) {
        this.lastUpdateTimestamp = lastUpdateTimestamp;
        this.dataVersion = dataVersion;
        this.channel = channel;
        this.haServerAddr = haServerAddr;
    }
}
