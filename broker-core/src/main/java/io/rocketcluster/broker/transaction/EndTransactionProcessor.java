package io.rocketcluster.broker.transaction;

import io.netty.channel.Channel;
import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.store.StoredMessage;
import io.rocketcluster.broker.topic.GroupValidator;
import io.rocketcluster.remoting.netty.RemotingEndpoint;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.concurrent.CompletableFuture;

/**
 * END_TRANSACTION (docs/remoting.md §5, docs/store-layout.md §14): commit (8) or roll back (12) a half message; 0
 * (unknown) leaves it to the check. Usually oneway, so outcomes are logged; a sync caller gets them.
 */
public final class EndTransactionProcessor implements RequestProcessor {
    private static final Logger LOG = LogManager.getLogger(EndTransactionProcessor.class);
    static final int COMMIT = 8;
    static final int ROLLBACK = 12;

    private final BrokerController broker;

    public EndTransactionProcessor(BrokerController broker) {
        this.broker = broker;
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        return processAsync(channel, request).join();
    }

    @Override
    public CompletableFuture<RemotingCommand> processAsync(Channel channel, RemotingCommand request) {
        if (broker.isSlave()) {
            return done(request, ResponseCode.SLAVE_NOT_AVAILABLE, "the broker is a slave; end transactions at the master");
        }
        String group = request.require("producerGroup");
        String invalid = GroupValidator.check(group);
        if (invalid != null) {
            return done(request, ResponseCode.SYSTEM_ERROR, invalid);
        }
        long queueOffset = request.requireLong("tranStateTableOffset");
        long commitLogOffset = request.requireLong("commitLogOffset");
        int outcome = request.requireInt("commitOrRollback");
        if (outcome != COMMIT && outcome != ROLLBACK) {
            return done(request, ResponseCode.SUCCESS, null);
        }
        StoredMessage half = broker.store().messageAt(commitLogOffset);
        String problem = half == null ? "no half message at commitlog offset " + commitLogOffset
                : TransactionalMessages.mismatch(half, group, queueOffset, commitLogOffset);
        if (problem != null) {
            LOG.warn("END_TRANSACTION from {} refused: {}", RemotingEndpoint.address(channel), problem);
            return done(request, ResponseCode.SYSTEM_ERROR, problem);
        }
        TransactionalMessages tx = broker.transactions();
        return (outcome == COMMIT ? tx.commit(half) : tx.rollback(half)).thenApply(r -> {
            if (r.status() != io.rocketcluster.broker.store.PutStatus.PUT_OK) {
                LOG.warn("END_TRANSACTION ({}) of half {} failed: {}", outcome == COMMIT ? "commit" : "rollback",
                        queueOffset, r.status());
                return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, r.status().name());
            }
            return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null);
        });
    }

    private static CompletableFuture<RemotingCommand> done(RemotingCommand request, int code, String remark) {
        return CompletableFuture.completedFuture(RemotingCommand.responseTo(request, code, remark));
    }
}
