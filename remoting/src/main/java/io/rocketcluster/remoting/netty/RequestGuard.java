package io.rocketcluster.remoting.netty;

import io.netty.channel.Channel;
import io.rocketcluster.remoting.protocol.RemotingCommand;

/**
 * Decides, before a processor sees it, whether a request may run at all (access control). Called on the
 * processor's executor, never on the event loop. Must be thread-safe.
 */
@FunctionalInterface
public interface RequestGuard {
    /** Null to let the request through; else the remark of the SYSTEM_ERROR that answers it instead. */
    String refusal(Channel channel, RemotingCommand request);
}
