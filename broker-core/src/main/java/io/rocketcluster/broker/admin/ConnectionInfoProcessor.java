package io.rocketcluster.broker.admin;

import io.netty.channel.Channel;
import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.client.ClientChannelInfo;
import io.rocketcluster.broker.client.ConsumerGroupInfo;
import io.rocketcluster.broker.topic.GroupValidator;
import io.rocketcluster.remoting.data.Connection;
import io.rocketcluster.remoting.data.ConsumerConnection;
import io.rocketcluster.remoting.data.ProducerConnection;
import io.rocketcluster.remoting.data.ProducerInfo;
import io.rocketcluster.remoting.data.ProducerTableInfo;
import io.rocketcluster.remoting.netty.RemotingEndpoint;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Who is connected (docs/remoting.md §7): GET_CONSUMER_CONNECTION_LIST (203; 206 CONSUMER_NOT_ONLINE when
 * the group has no live member), GET_PRODUCER_CONNECTION_LIST (204; 1 when the group is unknown) and
 * GET_ALL_PRODUCER_INFO (328). Read-only; thread-safe.
 */
final class ConnectionInfoProcessor implements RequestProcessor {
    private final BrokerController broker;

    ConnectionInfoProcessor(BrokerController broker) {
        this.broker = broker;
    }

    static int[] codes() {
        return new int[] {RequestCode.GET_CONSUMER_CONNECTION_LIST, RequestCode.GET_PRODUCER_CONNECTION_LIST,
            RequestCode.GET_ALL_PRODUCER_INFO};
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        return switch (request.code()) {
            case RequestCode.GET_CONSUMER_CONNECTION_LIST -> consumers(request);
            case RequestCode.GET_PRODUCER_CONNECTION_LIST -> producers(request);
            case RequestCode.GET_ALL_PRODUCER_INFO -> allProducers(request);
            default -> throw new IllegalArgumentException("unexpected code " + request.code());
        };
    }

    private RemotingCommand consumers(RemotingCommand request) {
        String group = request.require("consumerGroup");
        String invalid = GroupValidator.check(group);
        if (invalid != null) {
            return Replies.error(request, ResponseCode.SYSTEM_ERROR, invalid);
        }
        ConsumerGroupInfo info = broker.consumers().group(group);
        if (info == null || info.channels().isEmpty()) {
            return Replies.error(request, ResponseCode.CONSUMER_NOT_ONLINE, "the consumer group[" + group + "] not online");
        }
        ConsumerConnection body = new ConsumerConnection();
        body.connectionSet = connections(info.channels());
        body.subscriptionTable.putAll(info.subscriptions());
        body.consumeType = info.consumeType();
        body.messageModel = info.messageModel();
        body.consumeFromWhere = info.consumeFromWhere();
        return Replies.ok(request, body);
    }

    private RemotingCommand producers(RemotingCommand request) {
        String group = request.require("producerGroup");
        String invalid = GroupValidator.check(group);
        if (invalid != null) {
            return Replies.error(request, ResponseCode.SYSTEM_ERROR, invalid);
        }
        Map<Channel, ClientChannelInfo> members = broker.producers().group(group);
        if (members.isEmpty()) {
            return Replies.error(request, ResponseCode.SYSTEM_ERROR, "the producer group[" + group + "] not exist");
        }
        ProducerConnection body = new ProducerConnection();
        body.connectionSet = connections(members);
        return Replies.ok(request, body);
    }

    private RemotingCommand allProducers(RemotingCommand request) {
        ProducerTableInfo body = new ProducerTableInfo();
        broker.producers().groups().forEach((group, members) -> {
            List<ProducerInfo> infos = new ArrayList<>();
            for (ClientChannelInfo c : members.values()) {
                infos.add(new ProducerInfo(c.clientId(), RemotingEndpoint.address(c.channel()), c.language().name(),
                        c.version(), c.lastUpdateTimestamp()));
            }
            if (!infos.isEmpty()) {
                infos.sort(Comparator.comparing(p -> p.clientId));
                body.data.put(group, infos);
            }
        });
        return Replies.ok(request, body);
    }

    private static List<Connection> connections(Map<Channel, ClientChannelInfo> members) {
        List<Connection> out = new ArrayList<>();
        for (ClientChannelInfo c : members.values()) {
            out.add(new Connection(c.clientId(), RemotingEndpoint.address(c.channel()), c.language().name(), c.version()));
        }
        out.sort(Comparator.comparing(c -> c.clientId));
        return out;
    }
}
