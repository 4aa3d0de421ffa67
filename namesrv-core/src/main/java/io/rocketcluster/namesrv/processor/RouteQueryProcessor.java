package io.rocketcluster.namesrv.processor;

import io.netty.channel.Channel;
import io.rocketcluster.namesrv.NamesrvConfig;
import io.rocketcluster.namesrv.kvconfig.KvConfigManager;
import io.rocketcluster.namesrv.route.RouteInfoManager;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.TopicRouteData;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;

import java.util.Optional;

/**
 * Read-only route queries of clients and tools: GET_ROUTEINFO_BY_TOPIC (105),
 * GET_BROKER_CLUSTER_INFO (106), GET_ALL_TOPIC_LIST_FROM_NAMESERVER (206), GET_TOPICS_BY_CLUSTER (224),
 * GET_SYSTEM_TOPIC_LIST_FROM_NS (304), the unit topic lists (311/312/313). Bodies are always
 * standard JSON (quoted map keys), which every client version accepts. An {@code external} processor
 * (the one on {@code externalListenPort}) answers with the brokers' addresses for outside clients.
 * Stateless; thread-safe.
 */
public final class RouteQueryProcessor implements NamesrvRequestProcessor {
    /** RocketMQ appends this hint to "no route" remarks. */

    private final RouteInfoManager routes;
    private final KvConfigManager kvConfig;
    private final NamesrvConfig config;
    private final boolean external;

    public RouteQueryProcessor(RouteInfoManager routes, KvConfigManager kvConfig, NamesrvConfig config) {
        this(routes, kvConfig, config, false);
    }

    public RouteQueryProcessor(RouteInfoManager routes, KvConfigManager kvConfig, NamesrvConfig config,
                               boolean external) {
        this.routes = routes;
        this.kvConfig = kvConfig;
        this.config = config;
        this.external = external;
    }

    @Override
    public int[] codes() {
        return new int[] {RequestCode.GET_ROUTEINFO_BY_TOPIC, RequestCode.GET_BROKER_CLUSTER_INFO,
            RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, RequestCode.GET_TOPICS_BY_CLUSTER,
            RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS, RequestCode.GET_UNIT_TOPIC_LIST,
            RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST, RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST};
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        return switch (request.code()) {
            case RequestCode.GET_ROUTEINFO_BY_TOPIC -> routeByTopic(request);
            case RequestCode.GET_BROKER_CLUSTER_INFO -> withBody(request, routes.clusterInfo(external));
            case RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER -> withBody(request, routes.allTopicList());
            case RequestCode.GET_TOPICS_BY_CLUSTER -> withBody(request, routes.topicsByCluster(request.require("cluster")));
            case RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS -> withBody(request, routes.systemTopicList(external));
            case RequestCode.GET_UNIT_TOPIC_LIST -> withBody(request, routes.unitTopics());
            case RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST -> withBody(request, routes.hasUnitSubTopics());
            case RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST -> withBody(request, routes.hasUnitSubUnUnitTopics());
            default -> throw new IllegalArgumentException("unexpected code " + request.code());
        };
    }

    private RemotingCommand routeByTopic(RemotingCommand request) {
        String topic = request.require("topic");
        Optional<TopicRouteData> route = routes.topicRoute(topic, external);
        if (route.isEmpty()) {
            return RemotingCommand.responseTo(request, ResponseCode.TOPIC_NOT_EXIST,
                    "No topic route info in name server for the topic: " + topic);
        }
        TopicRouteData data = route.get();
        if (config.isOrderMessageEnable()) {
            data.orderTopicConf = kvConfig.getKVConfig(KvConfigManager.NAMESPACE_ORDER_TOPIC_CONFIG, topic);
        }
        return withBody(request, data);
    }

    private static RemotingCommand withBody(RemotingCommand request, Object body) {
        return NamesrvRequestProcessor.success(request).body(Json.encode(body));
    }
}
