package io.rocketcluster.operator.reconcile;

import io.rocketcluster.operator.model.BrokerConf;
import io.rocketcluster.remoting.data.ConsumeStatsList;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.netty.NettyRemotingClient;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;

import java.nio.charset.StandardCharsets;

/**
 * {@link BrokerAdmin} over the RocketMQ protocol: GET_BROKER_CONSUME_STATS (its {@code totalDiff} is
 * the backlog of every subscribed consumer group) and UPDATE_BROKER_CONFIG. Thread-safe.
 */
public final class WireBrokerAdmin implements BrokerAdmin, AutoCloseable {
    private static final long TIMEOUT_MILLIS = 5000;
    /** PERM_READ | PERM_WRITE, a broker's default. */
    static final int READ_WRITE_PERMISSION = 6;

    private final NettyRemotingClient client = new NettyRemotingClient("operator-admin");

    @Override
    public long unconsumedMessages(String brokerAddr) throws Exception {
        RemotingCommand req = RemotingCommand.request(RequestCode.GET_BROKER_CONSUME_STATS)
                .put("isOrder", false).put("timeoutMillis", TIMEOUT_MILLIS);
        RemotingCommand resp = call(brokerAddr, req);
        return Json.decode(resp.body(), ConsumeStatsList.class).totalDiff;
    }

    @Override
    public void makeReadOnly(String brokerAddr) throws Exception {
        setPermission(brokerAddr, BrokerConf.READ_ONLY_PERMISSION);
    }

    @Override
    public void makeWritable(String brokerAddr) throws Exception {
        setPermission(brokerAddr, READ_WRITE_PERMISSION);
    }

    private void setPermission(String brokerAddr, int permission) throws Exception {
        RemotingCommand req = RemotingCommand.request(RequestCode.UPDATE_BROKER_CONFIG)
                .body(("brokerPermission=" + permission + "\n").getBytes(StandardCharsets.UTF_8));
        call(brokerAddr, req);
    }

    private RemotingCommand call(String addr, RemotingCommand req) throws Exception {
        try {
            RemotingCommand resp = client.invokeSync(addr, req, TIMEOUT_MILLIS);
            if (resp.code() != ResponseCode.SUCCESS) {
                throw new IllegalStateException("broker " + addr + " answered " + resp.code() + ": " + resp.remark());
            }
            return resp;
        } catch (Exception e) {
            client.closeChannel(addr);
            throw e;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
