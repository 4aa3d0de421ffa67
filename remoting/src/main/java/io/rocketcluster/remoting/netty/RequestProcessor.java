package io.rocketcluster.remoting.netty;

import io.netty.channel.Channel;
import io.rocketcluster.remoting.protocol.RemotingCommand;

import java.util.concurrent.CompletableFuture;

/**
 * Handles the requests of one or more request codes. Implementations either answer synchronously in
 * {@link #process} or override {@link #processAsync} to complete later (e.g. after a disk flush).
 * A null response means "no response" (oneway requests, or a response sent another way).
 */
@FunctionalInterface
public interface RequestProcessor {
    RemotingCommand process(Channel channel, RemotingCommand request) throws Exception;

    default CompletableFuture<RemotingCommand> processAsync(Channel channel, RemotingCommand request)
            throws Exception {
        return CompletableFuture.completedFuture(process(channel, request));
    }

    /** Whether new requests should be refused right now (answered with SYSTEM_BUSY). */
    default boolean rejectRequest() {
        return false;
    }
}
