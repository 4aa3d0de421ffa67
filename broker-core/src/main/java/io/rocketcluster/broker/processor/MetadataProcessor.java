package io.rocketcluster.broker.processor;

import io.netty.channel.Channel;
import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;

import java.nio.charset.StandardCharsets;

/**
 * Whole-table reads that slaves (and admin tools) make: GET_ALL_TOPIC_CONFIG,
 * GET_ALL_CONSUMER_OFFSET, GET_ALL_DELAY_OFFSET and GET_ALL_SUBSCRIPTIONGROUP_CONFIG (docs/replication.md §4.1).
 */
public final class MetadataProcessor implements RequestProcessor {
    private final BrokerController broker;

    public MetadataProcessor(BrokerController broker) {
        this.broker = broker;
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        RemotingCommand ok = RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null);
        return switch (request.code()) {
            case RequestCode.GET_ALL_TOPIC_CONFIG -> ok.body(Json.encode(broker.topics().snapshot()));
            case RequestCode.GET_ALL_CONSUMER_OFFSET -> ok.body(Json.encode(broker.offsets().snapshot()));
            case RequestCode.GET_ALL_DELAY_OFFSET ->
                    ok.body(broker.delayOffsetsJson().getBytes(StandardCharsets.UTF_8));
            case RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG -> ok.body(Json.encode(broker.groups().snapshot()));
            default -> throw new IllegalArgumentException("unexpected code " + request.code());
        };
    }
}
