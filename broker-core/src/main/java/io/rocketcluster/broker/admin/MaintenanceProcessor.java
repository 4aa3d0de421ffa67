package io.rocketcluster.broker.admin;

import io.netty.channel.Channel;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;

/**
 * CLEAN_EXPIRED_CONSUMEQUEUE (306), CLEAN_UNUSED_TOPIC (316) and DELETE_EXPIRED_COMMITLOG (329):
 * answered with success. Retention already trims consume queues with the commitlog and deleting a
 * topic removes its queues, so there is nothing left for these manual triggers to do.
 */
final class MaintenanceProcessor implements RequestProcessor {
    static int[] codes() {
        return new int[] {RequestCode.CLEAN_EXPIRED_CONSUMEQUEUE, RequestCode.CLEAN_UNUSED_TOPIC,
            RequestCode.DELETE_EXPIRED_COMMITLOG};
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        return Replies.ok(request);
    }
}
