package io.rocketcluster.remoting.netty;

import io.netty.channel.Channel;

/** Told when a connection closes, fails or stays idle; the endpoint closes the channel itself. */
public interface ChannelEventListener {
    void onChannelClosed(String remoteAddr, Channel channel);
}
