package io.rocketcluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** queryMsgById, queryMsgByKey, queryMsgByOffset. */
final class MessageCommands {
    private MessageCommands() {
    }

    /** What RocketMQ's mqadmin prints for one message, as ordered key/values. */
    static Map<String, Object> describe(StoredMessages.Message m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("OffsetID", m.offsetMsgId());
        out.put("MsgId", m.msgId());
        out.put("Topic", m.topic());
        out.put("Tags", m.tags() == null ? "[]" : "[" + m.tags() + "]");
        out.put("Keys", m.keys() == null ? "[]" : "[" + m.keys() + "]");
        out.put("Queue ID", m.queueId());
        out.put("Queue Offset", m.queueOffset());
        out.put("CommitLog Offset", m.commitLogOffset());
        out.put("Reconsume Times", m.reconsumeTimes());
        out.put("Born Timestamp", TopicCommands.time(m.bornTimestamp()));
        out.put("Store Timestamp", TopicCommands.time(m.storeTimestamp()));
        out.put("Born Host", m.bornHost());
        out.put("Store Host", m.storeHost());
        out.put("System Flag", m.sysFlag());
        out.put("Properties", m.properties().toString());
        out.put("Message Body", m.bodyText());
        return out;
    }

    @Command(name = "queryMsgById", description = "Query Message by Id")
    static final class QueryMsgById extends AdminCommand {
        @Option(names = {"-i", "--msgId"}, required = true, description = "Message Id (offset message id; several separated by ',')")
        String msgId;
        @Option(names = {"-g", "--consumerGroup"}, description = "consumer group name (re-consume directly: not supported)")
        String consumerGroup;
        @Option(names = {"-d", "--clientId"}, description = "The consumer's client id (re-consume directly: not supported)")
        String clientId;
        @Option(names = {"-s", "--sendMessage"}, description = "resend message (not supported)")
        String sendMessage;
        @Option(names = {"-u", "--unitName"}, description = "unit name (not supported)")
        String unitName;
        @Option(names = {"-t", "--topic"}, description = "topic: also finds client message ids (UNIQ_KEY) through the index")
        String topic;

        @Override
        protected void run(AdminClient client, Report report) {
            if (consumerGroup != null || clientId != null || sendMessage != null || unitName != null) {
                throw usage("re-consuming or resending a message (-g, -d, -s, -u) is not supported; give -i only");
            }
            for (String id : Arrays.stream(msgId.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
                if (topic != null) {
                    StoredMessages.Message byKey = byUniqueKey(client, topic.trim(), id);
                    if (byKey != null) {
                        report.values(id, describe(byKey));
                        continue;
                    }
                }
                StoredMessages.OffsetId where = StoredMessages.decodeOffsetMsgId(id);
                if (where == null) {
                    throw new AdminException(AdminException.USAGE, "'" + id + "' is not an offset message id "
                            + "(32 or 56 hex digits: store host, port, commitlog offset)");
                }
                RemotingCommand r = client.call(where.brokerAddr(), RemotingCommand.request(RequestCode.VIEW_MESSAGE_BY_ID)
                        .put("offset", where.offset()));
                if (r.code() != ResponseCode.SUCCESS) {
                    throw new AdminException(AdminException.REFUSED, "message " + id + " not found at "
                            + where.brokerAddr() + ": code " + r.code() + (r.remark() == null ? "" : ", " + r.remark()),
                            r.code(), null);
                }
                List<StoredMessages.Message> ms = StoredMessages.decodeAll(r.body());
                if (ms.isEmpty()) {
                    throw new AdminException(AdminException.REFUSED, "message " + id + " not found");
                }
                report.values(id, describe(ms.get(0)));
            }
        }
    }

    /** A message of {@code topic} whose UNIQ_KEY (client message id) is {@code id}, through QUERY_MESSAGE; or null. */
    static StoredMessages.Message byUniqueKey(AdminClient client, String topic, String id) {
        for (String addr : AdminClient.brokersOfRoute(client.route(topic)).values()) {
            RemotingCommand r = client.call(addr, RemotingCommand.request(RequestCode.QUERY_MESSAGE).put("topic", topic)
                    .put("key", id).put("maxNum", 32).put("beginTimestamp", 0).put("endTimestamp", Long.MAX_VALUE)
                    .put("_UNIQUE_KEY_QUERY", true));
            if (r.code() == ResponseCode.QUERY_NOT_FOUND) {
                continue;
            }
            if (r.code() != ResponseCode.SUCCESS) {
                throw AdminException.refused("QUERY_MESSAGE at " + addr, r.code(), r.remark());
            }
            for (StoredMessages.Message m : StoredMessages.decodeAll(r.body())) {
                if (id.equals(m.properties().get("UNIQ_KEY")) && topic.equals(m.topic())) {
                    return m;
                }
            }
        }
        return null;
    }

    @Command(name = "queryMsgByKey", description = "Query Message by Key")
    static final class QueryMsgByKey extends AdminCommand {
        @Option(names = {"-t", "--topic"}, required = true, description = "topic name")
        String topic;
        @Option(names = {"-k", "--msgKey"}, required = true, description = "Message Key")
        String key;
        @Option(names = {"-b", "--beginTimestamp"}, defaultValue = "0", description = "begin timestamp (ms)")
        long begin;
        @Option(names = {"-e", "--endTimestamp"}, defaultValue = "" + Long.MAX_VALUE, description = "end timestamp (ms)")
        long end;
        @Option(names = {"-c", "--maxNum"}, defaultValue = "64", description = "the maximum number of messages")
        int maxNum;

        @Override
        protected void run(AdminClient client, Report report) {
            String t = topic.trim();
            String k = key.trim();
            List<List<Object>> rows = new ArrayList<>();
            for (String addr : AdminClient.brokersOfRoute(client.route(t)).values()) {
                RemotingCommand req = RemotingCommand.request(RequestCode.QUERY_MESSAGE).put("topic", t).put("key", k)
                        .put("maxNum", maxNum).put("beginTimestamp", begin).put("endTimestamp", end)
                        .put("_UNIQUE_KEY_QUERY", false);
                RemotingCommand r = client.call(addr, req);
                if (r.code() == ResponseCode.QUERY_NOT_FOUND) {
                    continue;
                }
                if (r.code() != ResponseCode.SUCCESS) {
                    throw AdminException.refused("QUERY_MESSAGE at " + addr, r.code(), r.remark());
                }
                for (StoredMessages.Message m : StoredMessages.decodeAll(r.body())) {
                    String keys = m.keys();
                    boolean match = keys != null && Arrays.asList(keys.split(" ")).contains(k);
                    if (match && t.equals(m.topic())) {
                        rows.add(List.of(m.msgId(), m.queueId(), m.queueOffset()));
                    }
                }
            }
            if (rows.isEmpty()) {
                throw new AdminException(AdminException.REFUSED, "no message with key " + k + " in topic " + t);
            }
            report.table("messages", List.of("Message ID", "QID", "Offset"), rows);
        }
    }

    @Command(name = "queryMsgByOffset", description = "Query Message by offset")
    static final class QueryMsgByOffset extends AdminCommand {
        @Option(names = {"-t", "--topic"}, required = true, description = "topic name")
        String topic;
        @Option(names = {"-b", "--brokerName"}, required = true, description = "Broker Name")
        String brokerName;
        @Option(names = {"-i", "--queueId"}, required = true, description = "Queue Id")
        int queueId;
        @Option(names = {"-o", "--offset"}, required = true, description = "Queue Offset")
        long offset;

        @Override
        protected void run(AdminClient client, Report report) {
            String t = topic.trim();
            JsonNode route = client.route(t);
            String addr = AdminClient.brokersOfRoute(route).get(brokerName.trim());
            if (addr == null) {
                throw new AdminException(AdminException.REFUSED, "broker " + brokerName + " serves no queue of topic " + t);
            }
            RemotingCommand req = RemotingCommand.request(RequestCode.PULL_MESSAGE)
                    .put("consumerGroup", "TOOLS_CONSUMER").put("topic", t).put("queueId", queueId)
                    .put("queueOffset", offset).put("maxMsgNums", 1).put("sysFlag", 0x4).put("commitOffset", 0)
                    .put("suspendTimeoutMillis", 0).put("subscription", "*").put("subVersion", 0)
                    .put("expressionType", "TAG");
            RemotingCommand r = client.call(addr, req);
            if (r.code() != ResponseCode.SUCCESS) {
                throw new AdminException(AdminException.REFUSED, "no message at " + t + "/" + brokerName + "/" + queueId
                        + " offset " + offset + ": code " + r.code() + (r.remark() == null ? "" : " " + r.remark())
                        + " (min offset " + r.get("minOffset") + ", max offset " + r.get("maxOffset") + ")", r.code(), null);
            }
            List<StoredMessages.Message> ms = StoredMessages.decodeAll(r.body());
            if (ms.isEmpty()) {
                throw new AdminException(AdminException.REFUSED, "no message at offset " + offset);
            }
            report.values("message", describe(ms.get(0)));
        }
    }
}
