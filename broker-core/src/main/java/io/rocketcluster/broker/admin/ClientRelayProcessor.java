package io.rocketcluster.broker.admin;

import io.netty.channel.Channel;
import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.client.ClientChannelInfo;
import io.rocketcluster.broker.client.ConsumerGroupInfo;
import io.rocketcluster.broker.store.MessageRecord;
import io.rocketcluster.broker.topic.GroupValidator;
import io.rocketcluster.remoting.netty.RemotingEndpoint;
import io.rocketcluster.remoting.netty.RemotingException;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Admin calls answered by a consumer, relayed on its connection (docs/remoting.md §6):
 * GET_CONSUMER_RUNNING_INFO (307) and CONSUME_MESSAGE_DIRECTLY (309; the broker first loads the
 * message named by the offset msgId into the body and sets extField {@code brokerName}). The client's
 * response is returned as it is; a consumer not online → 1, no answer within 10 s → 207. Thread-safe.
 */
final class ClientRelayProcessor implements RequestProcessor {
    static final long CLIENT_TIMEOUT_MILLIS = 10_000;
    /** Clients older than V3_1_8_SNAPSHOT do not answer these. */
    private static final int MIN_CLIENT_VERSION = 62;

    private final BrokerController broker;
    private final Function<Channel, RemotingEndpoint> endpoints;

    ClientRelayProcessor(BrokerController broker, Function<Channel, RemotingEndpoint> endpoints) {
        this.broker = broker;
        this.endpoints = endpoints;
    }

    static int[] codes() {
        return new int[] {RequestCode.GET_CONSUMER_RUNNING_INFO, RequestCode.CONSUME_MESSAGE_DIRECTLY};
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) throws Exception {
        return processAsync(channel, request).join();
    }

    @Override
    public CompletableFuture<RemotingCommand> processAsync(Channel channel, RemotingCommand request) {
        String group = request.require("consumerGroup");
        String invalid = GroupValidator.check(group);
        if (invalid != null) {
            return done(Replies.error(request, ResponseCode.SYSTEM_ERROR, invalid));
        }
        String clientId = request.get("clientId");
        ClientChannelInfo client = find(group, clientId);
        if (client == null) {
            return done(Replies.error(request, ResponseCode.SYSTEM_ERROR,
                    String.format("The Consumer <%s> <%s> not online", group, clientId)));
        }
        if (client.version() < MIN_CLIENT_VERSION) {
            return done(Replies.error(request, ResponseCode.SYSTEM_ERROR, String.format(
                    "The Consumer <%s> Version <%s> too low to finish, please upgrade it to V3_1_8_SNAPSHOT",
                    clientId, client.version())));
        }
        RemotingCommand relayed = RemotingCommand.request(request.code());
        relayed.extFields().putAll(request.extFields());
        relayed.body(request.body());
        if (request.code() == RequestCode.CONSUME_MESSAGE_DIRECTLY) {
            relayed.put("brokerName", broker.brokerConfig().getBrokerName());
            byte[] message = messageById(request.get("msgId"));
            if (message != null) {
                relayed.body(message);
            }
        }
        return endpoints.apply(client.channel()).invokeAsync(client.channel(), relayed, CLIENT_TIMEOUT_MILLIS)
                .handle((answer, error) -> {
                    if (error == null) {
                        RemotingCommand response = RemotingCommand.responseTo(request, answer.code(), answer.remark())
                                .body(answer.body());
                        response.extFields().putAll(answer.extFields());
                        return response;
                    }
                    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    boolean timeout = cause instanceof TimeoutException || cause.getCause() instanceof TimeoutException;
                    return timeout
                            ? Replies.error(request, ResponseCode.CONSUME_MSG_TIMEOUT,
                                    String.format("consumer <%s> <%s> Timeout: %s", group, clientId, cause.getMessage()))
                            : Replies.error(request, ResponseCode.SYSTEM_ERROR,
                                    String.format("invoke consumer <%s> <%s> Exception: %s", group, clientId, cause));
                });
    }

    private ClientChannelInfo find(String group, String clientId) {
        ConsumerGroupInfo info = broker.consumers().group(group);
        if (info == null || clientId == null) {
            return null;
        }
        return info.channels().values().stream().filter(c -> clientId.equals(c.clientId())).findFirst().orElse(null);
    }

    /** The stored record an offset message id (store host + commitlog offset) names, or null. */
    private byte[] messageById(String msgId) {
        if (msgId == null || (msgId.length() != 32 && msgId.length() != 56)) {
            return null;
        }
        try {
            byte[] id = HexFormat.of().parseHex(msgId);
            long offset = ByteBuffer.wrap(id, id.length - 8, 8).getLong();
            ByteBuffer record = broker.store().recordAt(offset);
            if (record == null || record.remaining() < MessageRecord.SYS_FLAG) {
                return null;
            }
            byte[] bytes = new byte[record.remaining()];
            record.get(record.position(), bytes);
            return bytes;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static CompletableFuture<RemotingCommand> done(RemotingCommand response) {
        return CompletableFuture.completedFuture(response);
    }
}
