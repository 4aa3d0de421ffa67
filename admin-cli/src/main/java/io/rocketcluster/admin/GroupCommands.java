package io.rocketcluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.text.ParseException;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Consumer and producer group commands. */
final class GroupCommands {
    static final String RETRY_PREFIX = "%RETRY%";
    static final String DLQ_PREFIX = "%DLQ%";

    private GroupCommands() {
    }

    /** One broker's GET_CONSUME_STATS: queue → offsets, plus consumeTps. */
    record ConsumeStats(Map<FastJson.Queue, JsonNode> offsets, double tps) {
    }

    static ConsumeStats consumeStats(AdminClient client, String addr, String group, String topic) {
        RemotingCommand req = RemotingCommand.request(RequestCode.GET_CONSUME_STATS).put("consumerGroup", group);
        if (topic != null) {
            req.put("topic", topic);
        }
        RemotingCommand r = client.callOk(addr, req, "GET_CONSUME_STATS");
        JsonNode body = FastJson.parse(r.body());
        Map<FastJson.Queue, JsonNode> out = new TreeMap<>();
        body.path("offsetTable").fields().forEachRemaining(e -> out.put(FastJson.messageQueue(e.getKey()), e.getValue()));
        return new ConsumeStats(out, body.path("consumeTps").asDouble());
    }

    /** GET_CONSUMER_CONNECTION_LIST; null when the group is not online (206). */
    static JsonNode consumerConnection(AdminClient client, String addr, String group) {
        RemotingCommand r = client.call(addr, RemotingCommand.request(RequestCode.GET_CONSUMER_CONNECTION_LIST)
                .put("consumerGroup", group));
        if (r.code() == ResponseCode.CONSUMER_NOT_ONLINE) {
            return null;
        }
        if (r.code() != ResponseCode.SUCCESS) {
            throw AdminException.refused("GET_CONSUMER_CONNECTION_LIST at " + addr, r.code(), r.remark());
        }
        return FastJson.parse(r.body());
    }

    @Command(name = "updateSubGroup", description = "Update or create subscription group")
    static final class UpdateSubGroup extends AdminCommand {
        @ArgGroup(multiplicity = "1")
        ClusterCommands.Target target;
        @Option(names = {"-g", "--groupName"}, required = true, description = "consumer group name")
        String group;
        @Option(names = {"-s", "--consumeEnable"}, arity = "1", defaultValue = "true", description = "consume enable")
        boolean consumeEnable;
        @Option(names = {"-m", "--consumeFromMinEnable"}, arity = "1", defaultValue = "false", description = "from min offset")
        boolean consumeFromMinEnable;
        @Option(names = {"-d", "--consumeBroadcastEnable"}, arity = "1", defaultValue = "false", description = "broadcast")
        boolean consumeBroadcastEnable;
        @Option(names = {"-q", "--retryQueueNums"}, defaultValue = "1", description = "retry queue nums")
        int retryQueueNums;
        @Option(names = {"-r", "--retryMaxTimes"}, defaultValue = "16", description = "retry max times")
        int retryMaxTimes;
        @Option(names = {"-i", "--brokerId"}, defaultValue = "0", description = "consumer from which broker id")
        long brokerId;
        @Option(names = {"-w", "--whichBrokerWhenConsumeSlowly"}, defaultValue = "1", description = "which broker id when consume slowly")
        long whichBrokerWhenConsumeSlowly;
        @Option(names = {"-a", "--notifyConsumerIdsChanged"}, arity = "1", defaultValue = "true", description = "notify consumerId changed")
        boolean notifyConsumerIdsChanged;

        @Override
        protected void run(AdminClient client, Report report) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("brokerId", brokerId);
            config.put("consumeBroadcastEnable", consumeBroadcastEnable);
            config.put("consumeEnable", consumeEnable);
            config.put("consumeFromMinEnable", consumeFromMinEnable);
            config.put("groupName", group.trim());
            config.put("notifyConsumerIdsChangedEnable", notifyConsumerIdsChanged);
            config.put("retryMaxTimes", retryMaxTimes);
            config.put("retryQueueNums", retryQueueNums);
            config.put("whichBrokerWhenConsumeSlowly", whichBrokerWhenConsumeSlowly);
            byte[] body = Json.encode(config);
            List<String> addrs = target.addresses(client, true);
            for (String addr : addrs) {
                client.callOk(addr, RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP).body(body),
                        "UPDATE_AND_CREATE_SUBSCRIPTIONGROUP");
                if (!report.isJson()) {
                    report.message("result", "create subscription group to " + addr + " success.");
                }
            }
            if (report.isJson()) {
                report.values("subscriptionGroupConfig", config);
                report.document("brokers", Report.strings(addrs));
            } else {
                report.message("config", config.toString());
            }
        }
    }

    @Command(name = "deleteSubGroup", description = "Delete subscription group from broker.")
    static final class DeleteSubGroup extends AdminCommand {
        @ArgGroup(multiplicity = "1")
        ClusterCommands.Target target;
        @Option(names = {"-g", "--groupName"}, required = true, description = "subscription group name")
        String group;
        @Option(names = {"-r", "--removeOffset"}, arity = "1", defaultValue = "false", description = "remove offset")
        boolean removeOffset;

        @Override
        protected void run(AdminClient client, Report report) {
            String g = group.trim();
            for (String addr : target.addresses(client, true)) {
                client.callOk(addr, RemotingCommand.request(RequestCode.DELETE_SUBSCRIPTIONGROUP).put("groupName", g)
                        .put("removeOffset", removeOffset), "DELETE_SUBSCRIPTIONGROUP");
                report.message("deleted-" + addr, "delete subscription group [" + g + "] from broker [" + addr + "]"
                        + (target.clusterName == null ? "" : " in cluster [" + target.clusterName.trim() + "]") + " success.");
            }
            if (target.clusterName != null) {
                // as RocketMQ does: the group's retry and dead-letter topics go too (failures only warn)
                for (String topic : List.of(RETRY_PREFIX + g, DLQ_PREFIX + g)) {
                    try {
                        TopicCommands.deleteTopic(client, target.clusterName.trim(), topic);
                    } catch (AdminException e) {
                        System.err.println("mqadmin deleteSubGroup: deleting " + topic + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    @Command(name = "consumerProgress", description = "Query consumers's progress, speed")
    static final class ConsumerProgress extends AdminCommand {
        @Option(names = {"-g", "--groupName"}, description = "consumer group name")
        String group;
        @Option(names = {"-s", "--showClientIP"}, arity = "1", defaultValue = "false", description = "Show Client IP per Queue")
        boolean showClientIp;

        @Override
        protected void run(AdminClient client, Report report) {
            if (group != null) {
                one(client, report, group.trim());
            } else {
                all(client, report);
            }
        }

        private void one(AdminClient client, Report report, String g) {
            JsonNode route = client.route(RETRY_PREFIX + g);
            Map<FastJson.Queue, JsonNode> offsets = new TreeMap<>();
            double tps = 0;
            for (String addr : AdminClient.brokersOfRoute(route).values()) {
                ConsumeStats s = consumeStats(client, addr, g, null);
                offsets.putAll(s.offsets());
                tps += s.tps();
            }
            Map<FastJson.Queue, String> clientOf = showClientIp ? queueOwners(client, route, g) : Map.of();
            List<List<Object>> rows = new ArrayList<>();
            long diffTotal = 0;
            for (Map.Entry<FastJson.Queue, JsonNode> e : offsets.entrySet()) {
                long broker = e.getValue().path("brokerOffset").asLong();
                long consumer = e.getValue().path("consumerOffset").asLong();
                long diff = broker - consumer;
                diffTotal += diff;
                long last = e.getValue().path("lastTimestamp").asLong();
                rows.add(List.of(e.getKey().topic(), e.getKey().brokerName(), e.getKey().queueId(), broker, consumer,
                        clientOf.getOrDefault(e.getKey(), "N/A"), diff, last == 0 ? "N/A" : TopicCommands.time(last)));
            }
            report.table("queues", List.of("Topic", "Broker Name", "QID", "Broker Offset", "Consumer Offset",
                    "Client IP", "Diff", "LastTime"), rows);
            Map<String, Object> totals = new LinkedHashMap<>();
            totals.put("Consume TPS", String.format("%.2f", tps));
            totals.put("Diff Total", diffTotal);
            report.values("totals", totals);
        }

        /** Which client holds each queue (GET_CONSUMER_RUNNING_INFO per client); best effort. */
        private Map<FastJson.Queue, String> queueOwners(AdminClient client, JsonNode route, String g) {
            Map<FastJson.Queue, String> out = new TreeMap<>();
            for (String addr : AdminClient.brokersOfRoute(route).values()) {
                JsonNode conn = consumerConnection(client, addr, g);
                if (conn == null) {
                    continue;
                }
                for (JsonNode c : conn.path("connectionSet")) {
                    String clientId = c.path("clientId").asText();
                    try {
                        RemotingCommand r = client.call(addr, RemotingCommand.request(AdminCodes.GET_CONSUMER_RUNNING_INFO)
                                .put("consumerGroup", g).put("clientId", clientId).put("jstackEnable", false));
                        if (r.code() == ResponseCode.SUCCESS) {
                            FastJson.parse(r.body()).path("mqTable").fields().forEachRemaining(e ->
                                    out.put(FastJson.messageQueue(e.getKey()), clientId.split("@")[0]));
                        }
                    } catch (AdminException ignored) {
                        // no owner shown
                    }
                }
                break;
            }
            return out;
        }

        private void all(AdminClient client, Report report) {
            List<List<Object>> rows = new ArrayList<>();
            for (String topic : client.topicList()) {
                if (!topic.startsWith(RETRY_PREFIX)) {
                    continue;
                }
                String g = topic.substring(RETRY_PREFIX.length());
                JsonNode route;
                try {
                    route = client.route(topic);
                } catch (AdminException e) {
                    continue;
                }
                long diff = 0;
                double tps = 0;
                int count = 0;
                String version = "OFFLINE";
                String type = "";
                String model = "";
                for (String addr : AdminClient.brokersOfRoute(route).values()) {
                    try {
                        ConsumeStats s = consumeStats(client, addr, g, null);
                        for (JsonNode o : s.offsets().values()) {
                            diff += o.path("brokerOffset").asLong() - o.path("consumerOffset").asLong();
                        }
                        tps += s.tps();
                        JsonNode conn = consumerConnection(client, addr, g);
                        if (conn != null && count == 0) {
                            count = conn.path("connectionSet").size();
                            int v = 0;
                            for (JsonNode c : conn.path("connectionSet")) {
                                v = Math.max(v, c.path("version").asInt());
                            }
                            version = count == 0 ? "OFFLINE" : String.valueOf(v);
                            type = conn.path("consumeType").asText("");
                            model = conn.path("messageModel").asText("");
                        }
                    } catch (AdminException e) {
                        System.err.println("mqadmin consumerProgress: " + g + ": " + e.getMessage());
                    }
                }
                rows.add(List.of(g, count, version, type, model, String.format("%.2f", tps), diff));
            }
            report.table("groups", List.of("Group", "Count", "Version", "Type", "Model", "TPS", "Diff Total"), rows);
        }
    }

    @Command(name = "consumerConnection", description = "Query consumer's socket connection, client version and subscription")
    static final class ConsumerConnection extends AdminCommand {
        @Option(names = {"-g", "--consumerGroup"}, required = true, description = "consumer group name")
        String group;
        @Option(names = {"-b", "--brokerAddr"}, description = "broker address")
        String brokerAddr;

        @Override
        protected void run(AdminClient client, Report report) {
            String g = group.trim();
            String addr = brokerAddr != null ? brokerAddr.trim()
                    : AdminClient.brokersOfRoute(client.route(RETRY_PREFIX + g)).values().stream().findFirst()
                    .orElseThrow(() -> new AdminException(AdminException.REFUSED, "no broker serves group " + g));
            JsonNode conn = consumerConnection(client, addr, g);
            if (conn == null || conn.path("connectionSet").isEmpty()) {
                throw new AdminException(AdminException.REFUSED, "the consumer group " + g + " is not online",
                        ResponseCode.CONSUMER_NOT_ONLINE, null);
            }
            List<List<Object>> rows = new ArrayList<>();
            int i = 1;
            for (JsonNode c : conn.path("connectionSet")) {
                rows.add(List.of(i++, c.path("clientId").asText(), c.path("clientAddr").asText(),
                        c.path("language").asText(), version(c.path("version").asInt())));
            }
            report.table("connections", List.of("", "ClientId", "ClientAddr", "Language", "Version"), rows);
            List<List<Object>> subs = new ArrayList<>();
            i = 1;
            for (var it = conn.path("subscriptionTable").fields(); it.hasNext(); ) {
                var e = it.next();
                subs.add(List.of(i++, e.getKey(), e.getValue().path("subString").asText()));
            }
            if (!report.isJson()) {
                report.message("sep", "");
                report.message("below", "Below is subscription:");
            }
            report.table("subscriptions", List.of("", "Topic", "SubExpression"), subs);
            Map<String, Object> more = new LinkedHashMap<>();
            more.put("ConsumeType", conn.path("consumeType").asText());
            more.put("MessageModel", conn.path("messageModel").asText());
            more.put("ConsumeFromWhere", conn.path("consumeFromWhere").asText());
            report.values("group", more);
        }
    }

    /** A client's version: the ordinal of RocketMQ's MQVersion.Version the client sent. */
    static String version(int v) {
        return String.valueOf(v);
    }

    @Command(name = "producerConnection", description = "Query producer's socket connection and client version")
    static final class ProducerConnection extends AdminCommand {
        @Option(names = {"-g", "--producerGroup"}, required = true, description = "producer group name")
        String group;
        @Option(names = {"-t", "--topic"}, required = true, description = "topic name")
        String topic;

        @Override
        protected void run(AdminClient client, Report report) {
            String g = group.trim();
            String addr = AdminClient.brokersOfRoute(client.route(topic.trim())).values().stream().findFirst()
                    .orElseThrow(() -> new AdminException(AdminException.REFUSED, "no broker serves topic " + topic));
            RemotingCommand r = client.callOk(addr, RemotingCommand.request(RequestCode.GET_PRODUCER_CONNECTION_LIST)
                    .put("producerGroup", g), "GET_PRODUCER_CONNECTION_LIST");
            JsonNode conn = FastJson.parse(r.body());
            if (conn.path("connectionSet").isEmpty()) {
                throw new AdminException(AdminException.REFUSED, "the producer group " + g + " has no connection");
            }
            List<List<Object>> rows = new ArrayList<>();
            int i = 1;
            for (JsonNode c : conn.path("connectionSet")) {
                rows.add(List.of(i++, c.path("clientId").asText(), c.path("clientAddr").asText(),
                        c.path("language").asText(), version(c.path("version").asInt())));
            }
            report.table("connections", List.of("", "ClientId", "ClientAddr", "Language", "Version"), rows);
        }
    }

    @Command(name = "resetOffsetByTime", description = "Reset consumer offset by timestamp(without client restart).")
    static final class ResetOffsetByTime extends AdminCommand {
        @Option(names = {"-g", "--group"}, required = true, description = "set the consumer group")
        String group;
        @Option(names = {"-t", "--topic"}, required = true, description = "set the topic")
        String topic;
        @Option(names = {"-s", "--timestamp"}, required = true,
                description = "set the timestamp[now|currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]")
        String timestamp;
        @Option(names = {"-f", "--force"}, arity = "1", defaultValue = "true",
                description = "set the force rollback by timestamp switch[true|false]")
        boolean force;
        @Option(names = {"-c", "--cplus"}, description = "reset c++ client offset")
        boolean cplus;

        @Override
        protected void run(AdminClient client, Report report) {
            String g = group.trim();
            String t = topic.trim();
            long ts = parseTimestamp(timestamp.trim());
            JsonNode route = client.route(t);
            Map<FastJson.Queue, Long> reset = new TreeMap<>();
            boolean notOnline = false;
            for (String addr : AdminClient.brokersOfRoute(route).values()) {
                RemotingCommand req = RemotingCommand.request(AdminCodes.INVOKE_BROKER_TO_RESET_OFFSET)
                        .put("topic", t).put("group", g).put("timestamp", ts).put("isForce", force);
                if (cplus) {
                    req.put("isC", true);
                }
                RemotingCommand r = client.call(addr, req);
                if (r.code() == ResponseCode.CONSUMER_NOT_ONLINE) {
                    notOnline = true;
                    break;
                }
                if (r.code() != ResponseCode.SUCCESS) {
                    throw AdminException.refused("INVOKE_BROKER_TO_RESET_OFFSET at " + addr, r.code(), r.remark());
                }
                FastJson.parse(r.body()).path("offsetTable").fields().forEachRemaining(e ->
                        reset.put(FastJson.messageQueue(e.getKey()), e.getValue().asLong()));
            }
            String head = String.format("rollback consumer offset by specified group[%s], topic[%s], force[%s], "
                    + "timestamp(string)[%s], timestamp(long)[%s]", g, t, force, timestamp.trim(), ts);
            if (notOnline) {
                resetOffline(client, report, route, g, t, ts, head);
                return;
            }
            report.message("summary", head);
            List<List<Object>> rows = new ArrayList<>();
            reset.forEach((q, o) -> rows.add(List.of(q.brokerName(), q.queueId(), o)));
            report.table("offsets", List.of("brokerName", "queueId", "offset"), rows);
        }

        /** The group is not online: read its offsets, look the time up per queue and write the offsets (the old way). */
        private void resetOffline(AdminClient client, Report report, JsonNode route, String g, String t, long ts, String head) {
            report.message("summary", head);
            List<List<Object>> rows = new ArrayList<>();
            for (String addr : AdminClient.brokersOfRoute(route).values()) {
                ConsumeStats stats = consumeStats(client, addr, g, t);
                for (Map.Entry<FastJson.Queue, JsonNode> e : stats.offsets().entrySet()) {
                    FastJson.Queue q = e.getKey();
                    if (!t.equals(q.topic())) {
                        continue;
                    }
                    long brokerOffset = e.getValue().path("brokerOffset").asLong();
                    long consumerOffset = e.getValue().path("consumerOffset").asLong();
                    RemotingCommand lookup = ts == -1
                            ? RemotingCommand.request(RequestCode.GET_MAX_OFFSET).put("topic", t).put("queueId", q.queueId())
                            : RemotingCommand.request(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP).put("topic", t)
                            .put("queueId", q.queueId()).put("timestamp", ts);
                    long target = client.callOk(addr, lookup, ts == -1 ? "GET_MAX_OFFSET" : "SEARCH_OFFSET_BY_TIMESTAMP")
                            .getLong("offset", 0);
                    long rollback = consumerOffset;
                    if (force || target <= consumerOffset) {
                        rollback = target;
                        client.callOk(addr, RemotingCommand.request(RequestCode.UPDATE_CONSUMER_OFFSET)
                                .put("consumerGroup", g).put("topic", t).put("queueId", q.queueId())
                                .put("commitOffset", target).put("bname", q.brokerName()), "UPDATE_CONSUMER_OFFSET");
                    }
                    rows.add(List.of(q.brokerName(), q.queueId(), brokerOffset, consumerOffset, target, rollback));
                }
            }
            report.table("offsets", List.of("brokerName", "queueId", "brokerOffset", "consumerOffset",
                    "timestampOffset", "rollbackOffset"), rows);
        }
    }

    /** {@code now}, epoch milliseconds, or {@code yyyy-MM-dd#HH:mm:ss:SSS} (RocketMQ's forms). */
    static long parseTimestamp(String s) {
        if (s.equals("now")) {
            return -1;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            try {
                return new SimpleDateFormat("yyyy-MM-dd#HH:mm:ss:SSS").parse(s).getTime();
            } catch (ParseException pe) {
                throw new AdminException(AdminException.USAGE,
                        "bad timestamp '" + s + "': use now, epoch milliseconds or yyyy-MM-dd#HH:mm:ss:SSS");
            }
        }
    }
}
