package io.rocketcluster.namesrv.processor;

import io.netty.channel.Channel;
import io.rocketcluster.namesrv.kvconfig.KvConfigManager;
import io.rocketcluster.namesrv.route.RegisterBrokerResult;
import io.rocketcluster.namesrv.route.RouteInfoManager;
import io.rocketcluster.remoting.data.DataVersion;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.KVTable;
import io.rocketcluster.remoting.data.RegisterBrokerBody;
import io.rocketcluster.remoting.netty.RemotingEndpoint;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.zip.CRC32;

/**
 * What brokers send: REGISTER_BROKER (103), UNREGISTER_BROKER (104), QUERY_DATA_VERSION (322)
 * (docs/remoting.md §4.1, §4.2, §4.4). Stateless; thread-safe.
 */
public final class BrokerRequestProcessor implements NamesrvRequestProcessor {
    private static final Logger LOG = LogManager.getLogger(BrokerRequestProcessor.class);

    /** REGISTER_BROKER extField of RocketCluster brokers: their {@code brokerExternalAddr}. */
    public static final String EXTERNAL_ADDR_FIELD = "brokerExternalAddr";

    private final RouteInfoManager routes;
    private final KvConfigManager kvConfig;

    public BrokerRequestProcessor(RouteInfoManager routes, KvConfigManager kvConfig) {
        this.routes = routes;
        this.kvConfig = kvConfig;
    }

    @Override
    public int[] codes() {
        return new int[] {RequestCode.REGISTER_BROKER, RequestCode.UNREGISTER_BROKER, RequestCode.QUERY_DATA_VERSION};
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        return switch (request.code()) {
            case RequestCode.REGISTER_BROKER -> registerBroker(channel, request);
            case RequestCode.UNREGISTER_BROKER -> unregisterBroker(request);
            case RequestCode.QUERY_DATA_VERSION -> queryDataVersion(request);
            default -> throw new IllegalArgumentException("unexpected code " + request.code());
        };
    }

    private RemotingCommand registerBroker(Channel channel, RemotingCommand request) {
        String brokerName = request.require("brokerName");
        String brokerAddr = request.require("brokerAddr");
        String clusterName = request.require("clusterName");
        String haServerAddr = request.require("haServerAddr");
        long brokerId = request.requireLong("brokerId");
        boolean compressed = request.getBoolean("compressed", false);
        int bodyCrc32 = request.getInt("bodyCrc32", 0);

        if (bodyCrc32 != 0 && crc32(request.body()) != bodyCrc32) {
            LOG.warn("register of broker {} from {}: body crc32 {} does not match header {}", brokerAddr,
                    RemotingEndpoint.address(channel), crc32(request.body()), bodyCrc32);
            return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, "crc32 not match");
        }
        RegisterBrokerBody body = RegisterBrokerBodyCodec.decode(request.body(), compressed);
        // RocketCluster brokers add the address for clients outside their network; Apache brokers do not
        String externalAddr = request.get(EXTERNAL_ADDR_FIELD);
        RegisterBrokerResult result;
        try {
            result = routes.registerBroker(clusterName, brokerAddr, brokerName, brokerId,
                    haServerAddr, externalAddr, body.topicConfigSerializeWrapper, body.filterServerList, channel);
        } catch (io.rocketcluster.namesrv.LimitExceededException e) {
            LOG.warn("register of broker {} ({}) refused: {}", brokerAddr, brokerName, e.getMessage());
            return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, e.getMessage());
        }

        RemotingCommand response = NamesrvRequestProcessor.success(request);
        response.put("haServerAddr", result.haServerAddr());
        response.put("masterAddr", result.masterAddr());
        kvConfig.getKVListByNamespace(KvConfigManager.NAMESPACE_ORDER_TOPIC_CONFIG)
                .ifPresent(table -> response.body(Json.encode(new KVTable(table))));
        return response;
    }

    private RemotingCommand unregisterBroker(RemotingCommand request) {
        routes.unregisterBroker(request.require("clusterName"), request.require("brokerAddr"),
                request.require("brokerName"), request.requireLong("brokerId"));
        return NamesrvRequestProcessor.success(request);
    }

    private RemotingCommand queryDataVersion(RemotingCommand request) {
        String brokerAddr = request.require("brokerAddr");
        DataVersion dataVersion = Json.decode(request.body(), DataVersion.class);
        boolean changed = routes.isBrokerTopicConfigChanged(brokerAddr, dataVersion);
        if (!changed) {
            routes.updateBrokerInfoUpdateTimestamp(brokerAddr);
        }
        RemotingCommand response = NamesrvRequestProcessor.success(request);
        response.put("changed", changed);
        DataVersion stored = routes.queryBrokerTopicConfig(brokerAddr);
        if (stored != null) {
            response.body(Json.encode(stored));
        }
        return response;
    }

    /** RocketMQ's body checksum: CRC32 with the sign bit cleared; 0 for no body. */
    static int crc32(byte[] body) {
        if (body == null) {
            return 0;
        }
        CRC32 crc = new CRC32();
        crc.update(body);
        return (int) (crc.getValue() & 0x7FFFFFFF);
    }
}
