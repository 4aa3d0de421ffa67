package io.rocketcluster.namesrv.processor;

import io.netty.channel.Channel;
import io.rocketcluster.namesrv.route.RouteInfoManager;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;

/**
 * Route changes made by admin tools: WIPE_WRITE_PERM_OF_BROKER (205), ADD_WRITE_PERM_OF_BROKER (327),
 * DELETE_TOPIC_IN_NAMESRV (216). They change name server memory only (docs/remoting.md §4.1, §4.2).
 * Stateless; thread-safe.
 */
public final class TopicAdminProcessor implements NamesrvRequestProcessor {
    private final RouteInfoManager routes;

    public TopicAdminProcessor(RouteInfoManager routes) {
        this.routes = routes;
    }

    @Override
    public int[] codes() {
        return new int[] {RequestCode.WIPE_WRITE_PERM_OF_BROKER, RequestCode.ADD_WRITE_PERM_OF_BROKER,
            RequestCode.DELETE_TOPIC_IN_NAMESRV};
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        return switch (request.code()) {
            case RequestCode.WIPE_WRITE_PERM_OF_BROKER -> NamesrvRequestProcessor.success(request)
                    .put("wipeTopicCount", routes.wipeWritePermOfBroker(request.require("brokerName")));
            case RequestCode.ADD_WRITE_PERM_OF_BROKER -> NamesrvRequestProcessor.success(request)
                    .put("addTopicCount", routes.addWritePermOfBroker(request.require("brokerName")));
            case RequestCode.DELETE_TOPIC_IN_NAMESRV -> deleteTopic(request);
            default -> throw new IllegalArgumentException("unexpected code " + request.code());
        };
    }

    private RemotingCommand deleteTopic(RemotingCommand request) {
        String topic = request.require("topic");
        String clusterName = request.get("clusterName");
        if (clusterName == null || clusterName.isBlank()) {
            routes.deleteTopic(topic);
        } else {
            routes.deleteTopic(topic, clusterName);
        }
        return NamesrvRequestProcessor.success(request);
    }
}
