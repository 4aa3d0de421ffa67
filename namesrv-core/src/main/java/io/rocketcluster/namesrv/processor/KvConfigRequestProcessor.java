package io.rocketcluster.namesrv.processor;

import io.netty.channel.Channel;
import io.rocketcluster.namesrv.kvconfig.KvConfigManager;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.KVTable;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;

import java.util.Map;
import java.util.Optional;

/**
 * PUT_KV_CONFIG (100), GET_KV_CONFIG (101), DELETE_KV_CONFIG (102), GET_KVLIST_BY_NAMESPACE (219)
 * (docs/remoting.md §4.1). Missing entries answer 22 QUERY_NOT_FOUND with RocketMQ's remarks.
 * Stateless; thread-safe.
 */
public final class KvConfigRequestProcessor implements NamesrvRequestProcessor {
    private final KvConfigManager kvConfig;

    public KvConfigRequestProcessor(KvConfigManager kvConfig) {
        this.kvConfig = kvConfig;
    }

    @Override
    public int[] codes() {
        return new int[] {RequestCode.PUT_KV_CONFIG, RequestCode.GET_KV_CONFIG, RequestCode.DELETE_KV_CONFIG,
            RequestCode.GET_KVLIST_BY_NAMESPACE};
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        return switch (request.code()) {
            case RequestCode.PUT_KV_CONFIG -> put(request);
            case RequestCode.GET_KV_CONFIG -> get(request);
            case RequestCode.DELETE_KV_CONFIG -> delete(request);
            case RequestCode.GET_KVLIST_BY_NAMESPACE -> list(request);
            default -> throw new IllegalArgumentException("unexpected code " + request.code());
        };
    }

    private RemotingCommand put(RemotingCommand request) {
        try {
            kvConfig.putKVConfig(request.require("namespace"), request.require("key"), request.require("value"));
        } catch (io.rocketcluster.namesrv.LimitExceededException e) {
            return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, e.getMessage());
        }
        return NamesrvRequestProcessor.success(request);
    }

    private RemotingCommand get(RemotingCommand request) {
        String namespace = request.require("namespace");
        String key = request.require("key");
        String value = kvConfig.getKVConfig(namespace, key);
        if (value == null) {
            return RemotingCommand.responseTo(request, ResponseCode.QUERY_NOT_FOUND,
                    "No config item, Namespace: " + namespace + " Key: " + key);
        }
        return NamesrvRequestProcessor.success(request).put("value", value);
    }

    private RemotingCommand delete(RemotingCommand request) {
        kvConfig.deleteKVConfig(request.require("namespace"), request.require("key"));
        return NamesrvRequestProcessor.success(request);
    }

    private RemotingCommand list(RemotingCommand request) {
        String namespace = request.require("namespace");
        Optional<Map<String, String>> table = kvConfig.getKVListByNamespace(namespace);
        if (table.isEmpty()) {
            return RemotingCommand.responseTo(request, ResponseCode.QUERY_NOT_FOUND,
                    "No config item, Namespace: " + namespace);
        }
        return NamesrvRequestProcessor.success(request).body(Json.encode(new KVTable(table.get())));
    }
}
