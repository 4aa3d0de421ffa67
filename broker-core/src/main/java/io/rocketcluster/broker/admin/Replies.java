package io.rocketcluster.broker.admin;

import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.MessageQueue;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.ResponseCode;

/** Response helpers shared by the admin processors. */
final class Replies {
    /** RocketMQ's refusal of metadata changes on a slave (docs/remoting.md §7). */
    static final String SLAVE_REFUSAL =
            "Can't modify topic or subscription group from slave broker, please execute it from master broker.";

    private Replies() {
    }

    static RemotingCommand ok(RemotingCommand request) {
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null);
    }

    /** Success with {@code body} as JSON. */
    static RemotingCommand ok(RemotingCommand request, Object body) {
        return ok(request).body(Json.encode(body));
    }

    static RemotingCommand error(RemotingCommand request, int code, String remark) {
        return RemotingCommand.responseTo(request, code, remark);
    }

    /** The refusal when this broker is a slave, else null. */
    static RemotingCommand refuseOnSlave(BrokerController broker, RemotingCommand request) {
        return broker.isSlave() ? error(request, ResponseCode.SYSTEM_ERROR, SLAVE_REFUSAL) : null;
    }

    /** Queue {@code queueId} of {@code topic} on this broker. */
    static MessageQueue queue(BrokerController broker, String topic, int queueId) {
        return new MessageQueue(topic, broker.brokerConfig().getBrokerName(), queueId);
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
