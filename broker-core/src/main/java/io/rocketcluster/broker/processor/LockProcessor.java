package io.rocketcluster.broker.processor;

import io.netty.channel.Channel;
import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.topic.GroupValidator;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.LockBatchBody;
import io.rocketcluster.remoting.data.LockBatchResponseBody;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;

/** LOCK_BATCH_MQ and UNLOCK_BATCH_MQ for orderly consumers (docs/remoting.md §10.2). */
public final class LockProcessor implements RequestProcessor {
    private final BrokerController broker;

    public LockProcessor(BrokerController broker) {
        this.broker = broker;
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        LockBatchBody body = Json.decode(request.body(), LockBatchBody.class);
        String illegal = GroupValidator.check(body.consumerGroup);
        if (illegal != null) {
            return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, illegal);
        }
        RemotingCommand ok = RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null);
        if (request.code() == RequestCode.LOCK_BATCH_MQ) {
            LockBatchResponseBody granted = new LockBatchResponseBody();
            granted.lockOKMQSet = broker.locks().tryLock(body.consumerGroup, body.mqSet, body.clientId);
            return ok.body(Json.encode(granted));
        }
        broker.locks().unlock(body.consumerGroup, body.mqSet, body.clientId);
        return ok;
    }
}
