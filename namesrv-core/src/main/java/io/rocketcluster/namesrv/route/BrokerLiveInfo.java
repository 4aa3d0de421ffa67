package io.rocketcluster.namesrv.route;

import io.netty.channel.Channel;
import io.rocketcluster.remoting.data.DataVersion;

/**
 * The liveness record of one broker address: when it last registered (or confirmed its data
 * version), the topic-table version it registered, its connection, its HA address and the address
 * it gave for clients outside its network (RocketCluster's {@code brokerExternalAddr}; null if none).
 *
 * <p>Not thread-safe; guarded by the {@link RouteInfoManager} lock.
 */
final class BrokerLiveInfo {
    long lastUpdateTimestamp;
    final DataVersion dataVersion;
    final Channel channel;
    final String haServerAddr;
    final String externalAddr;

    BrokerLiveInfo(long lastUpdateTimestamp, DataVersion dataVersion, Channel channel, String haServerAddr) {
        this(lastUpdateTimestamp, dataVersion, channel, haServerAddr, null);
    }

    BrokerLiveInfo(long lastUpdateTimestamp, DataVersion dataVersion, Channel channel, String haServerAddr,
                   String externalAddr) {
        this.lastUpdateTimestamp = lastUpdateTimestamp;
        this.dataVersion = dataVersion;
        this.channel = channel;
        this.haServerAddr = haServerAddr;
        this.externalAddr = externalAddr;
    }
}
