package io.rocketcluster.remoting.netty;

import io.rocketcluster.remoting.protocol.RemotingCommand;

/** Adds credentials to every request an endpoint sends, just before it is written. */
@FunctionalInterface
public interface RequestSigner {
    void sign(RemotingCommand request);
}
