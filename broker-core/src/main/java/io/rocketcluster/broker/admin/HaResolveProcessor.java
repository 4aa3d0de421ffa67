package io.rocketcluster.broker.admin;

import io.netty.channel.Channel;
import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.ha.HaClient;
import io.rocketcluster.broker.ha.HaServer;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;

/**
 * HA_RESOLVE_DIVERGENCE (RocketCluster's 3701, docs/replication.md §9.4): an operator's decision when a slave
 * holds data its master's history lacks. {@code keep=master}: on the slave, its data past the point both logs
 * share is saved under ha-divergent/ and cut off at the next handshake, and it follows the master; on the
 * master, the write fence is lifted. {@code keep=slave}: on the slave, it stops following that master (the
 * operator then promotes it); on the master, the fence stays up for good (until the store is replaced).
 * Admin-only with ACL on.
 */
final class HaResolveProcessor implements RequestProcessor {
    private final BrokerController broker;

    HaResolveProcessor(BrokerController broker) {
        this.broker = broker;
    }

    static int[] codes() {
        return new int[] {RequestCode.HA_RESOLVE_DIVERGENCE};
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        String keep = request.get("keep");
        if (!"master".equals(keep) && !"slave".equals(keep)) {
            return Replies.error(request, ResponseCode.SYSTEM_ERROR, "keep must be master or slave, got "
                    + (keep == null ? "nothing" : "'" + io.rocketcluster.broker.util.Remarks.shown(keep, 40) + "'"));
        }
        HaClient slave = broker.haClient();
        if (slave != null) {
            if (keep.equals("master")) {
                slave.discardDivergentDataOnce();
                return Replies.ok(request).remark("at the next handshake this slave saves its data past the point its "
                        + "master's log shares to ha-divergent/, cuts it off and follows the master");
            }
            slave.stopFollowing();
            return Replies.ok(request).remark("this slave no longer follows its master and keeps all its data; promote "
                    + "it (restart it with brokerRole=ASYNC_MASTER or SYNC_MASTER and brokerId=0) and restart the old "
                    + "master as a slave on an empty volume");
        }
        HaServer master = broker.haServer();
        if (master == null) {
            return Replies.error(request, ResponseCode.SYSTEM_ERROR, "this broker does not replicate");
        }
        if (keep.equals("master")) {
            master.fence().clear("an administrator kept the master's data (HA_RESOLVE_DIVERGENCE keep=master)");
            return Replies.ok(request).remark("writes accepted; a slave that still refuses this master needs "
                    + "keep=master too");
        }
        master.fence().raise("administrator", "an administrator kept the slave's data (keep=slave): promote the slave");
        return Replies.ok(request).remark("this master refuses writes for good; promote the slave");
    }
}
