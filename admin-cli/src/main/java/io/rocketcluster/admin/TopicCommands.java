package io.rocketcluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Topic commands: topicList, topicRoute, topicStatus, updateTopic, deleteTopic. */
final class TopicCommands {
    private TopicCommands() {
    }

    static String time(long millis) {
        return millis <= 0 ? "" : new SimpleDateFormat("yyyy-MM-dd HH:mm:ss,SSS").format(new Date(millis));
    }

    /** QUERY_TOPIC_CONSUME_BY_WHO: the groups consuming a topic on one broker. */
    static TreeSet<String> consumersOf(AdminClient client, String addr, String topic) {
        RemotingCommand r = client.callOk(addr, RemotingCommand.request(AdminCodes.QUERY_TOPIC_CONSUME_BY_WHO)
                .put("topic", topic), "QUERY_TOPIC_CONSUME_BY_WHO");
        TreeSet<String> out = new TreeSet<>();
        FastJson.parse(r.body()).path("groupList").forEach(g -> out.add(g.asText()));
        return out;
    }

    @Command(name = "topicList", description = "Fetch all topic list from name server")
    static final class TopicList extends AdminCommand {
        @Option(names = {"-c", "--clusterModel"}, description = "print the cluster and consumer groups of each topic")
        boolean clusterModel;

        @Override
        protected void run(AdminClient client, Report report) {
            TreeSet<String> topics = client.topicList();
            if (!clusterModel) {
                if (report.isJson()) {
                    report.document("topicList", Report.strings(topics));
                } else {
                    topics.forEach(t -> report.message("topic", t));
                }
                return;
            }
            AdminClient.ClusterView view = client.clusterInfo();
            List<List<Object>> rows = new ArrayList<>();
            for (String topic : topics) {
                if (topic.startsWith("%RETRY%") || topic.startsWith("%DLQ%")) {
                    continue;
                }
                JsonNode route;
                try {
                    route = client.route(topic);
                } catch (AdminException e) {
                    continue;
                }
                Map<String, String> brokers = AdminClient.brokersOfRoute(route);
                String cluster = brokers.isEmpty() ? "" : view.clusterOf(brokers.keySet().iterator().next());
                TreeSet<String> groups = new TreeSet<>();
                for (String addr : brokers.values()) {
                    try {
                        groups.addAll(consumersOf(client, addr, topic));
                    } catch (AdminException e) {
                        System.err.println("mqadmin topicList: consumer groups of " + topic + ": " + e.getMessage());
                    }
                }
                if (groups.isEmpty()) {
                    rows.add(List.of(cluster, topic, ""));
                }
                for (String g : groups) {
                    rows.add(List.of(cluster, topic, g));
                }
            }
            report.table("topics", List.of("Cluster Name", "Topic", "Consumer Group"), rows);
        }
    }

    @Command(name = "topicRoute", description = "Examine topic route info")
    static final class TopicRoute extends AdminCommand {
        @Option(names = {"-t", "--topic"}, required = true, description = "topic name")
        String topic;
        @Option(names = {"-l", "--list"}, description = "Use list format to print data")
        boolean list;

        @Override
        protected void run(AdminClient client, Report report) {
            JsonNode route = client.route(topic.trim());
            if (!list) {
                report.document("route", route);
                return;
            }
            Map<String, String> clusterOf = new TreeMap<>();
            Map<String, String> addrs = new TreeMap<>();
            for (JsonNode bd : route.path("brokerDatas")) {
                clusterOf.put(bd.path("brokerName").asText(), bd.path("cluster").asText());
                addrs.put(bd.path("brokerName").asText(), AdminClient.addresses(bd.path("brokerAddrs")).toString());
            }
            List<List<Object>> rows = new ArrayList<>();
            int read = 0;
            int write = 0;
            for (JsonNode q : route.path("queueDatas")) {
                String name = q.path("brokerName").asText();
                rows.add(List.of(clusterOf.getOrDefault(name, ""), name, addrs.getOrDefault(name, ""),
                        q.path("readQueueNums").asInt(), q.path("writeQueueNums").asInt(), q.path("perm").asInt()));
                read += q.path("readQueueNums").asInt();
                write += q.path("writeQueueNums").asInt();
            }
            rows.sort((a, b) -> String.valueOf(a.get(1)).compareTo(String.valueOf(b.get(1))));
            rows.add(List.of("Total", rows.size(), "", read, write, ""));
            report.table("route", List.of("ClusterName", "BrokerName", "BrokerAddrs", "ReadQueue", "WriteQueue", "Perm"), rows);
        }
    }

    @Command(name = "topicStatus", description = "Examine topic Status info")
    static final class TopicStatus extends AdminCommand {
        @Option(names = {"-t", "--topic"}, required = true, description = "topic name")
        String topic;
        @Option(names = {"-c", "--cluster"}, description = "cluster name (accepted for 5.x compatibility)")
        String cluster;

        @Override
        protected void run(AdminClient client, Report report) {
            String t = topic.trim();
            JsonNode route = client.route(t);
            Map<FastJson.Queue, JsonNode> all = new TreeMap<>();
            for (Map.Entry<String, String> b : AdminClient.brokersOfRoute(route).entrySet()) {
                RemotingCommand r = client.callOk(b.getValue(), RemotingCommand.request(RequestCode.GET_TOPIC_STATS_INFO)
                        .put("topic", t), "GET_TOPIC_STATS_INFO");
                FastJson.parse(r.body()).path("offsetTable").fields()
                        .forEachRemaining(e -> all.put(FastJson.messageQueue(e.getKey()), e.getValue()));
            }
            List<List<Object>> rows = new ArrayList<>();
            for (Map.Entry<FastJson.Queue, JsonNode> e : all.entrySet()) {
                JsonNode o = e.getValue();
                rows.add(List.of(e.getKey().brokerName(), e.getKey().queueId(), o.path("minOffset").asLong(),
                        o.path("maxOffset").asLong(), time(o.path("lastUpdateTimestamp").asLong())));
            }
            report.table("queues", List.of("Broker Name", "QID", "Min Offset", "Max Offset", "Last Updated"), rows);
        }
    }

    @Command(name = "updateTopic", description = "Update or create topic")
    static final class UpdateTopic extends AdminCommand {
        @ArgGroup(multiplicity = "1")
        ClusterCommands.Target target;
        @Option(names = {"-t", "--topic"}, required = true, description = "topic name")
        String topic;
        @Option(names = {"-r", "--readQueueNums"}, defaultValue = "8", description = "set read queue nums")
        int readQueueNums;
        @Option(names = {"-w", "--writeQueueNums"}, defaultValue = "8", description = "set write queue nums")
        int writeQueueNums;
        @Option(names = {"-p", "--perm"}, defaultValue = "6", description = "set topic's permission(2|4|6), intro[2:W 4:R; 6:RW]")
        int perm;
        @Option(names = {"-o", "--order"}, defaultValue = "false", arity = "1", description = "set topic's order(true|false)")
        boolean order;
        @Option(names = {"-u", "--unit"}, defaultValue = "false", arity = "1", description = "is unit topic (true|false)")
        boolean unit;
        @Option(names = {"-s", "--hasUnitSub"}, defaultValue = "false", arity = "1", description = "has unit sub (true|false)")
        boolean hasUnitSub;

        @Override
        protected void run(AdminClient client, Report report) {
            String t = topic.trim();
            if (!t.matches("^[%|a-zA-Z0-9_-]+$") || t.length() > 127) {
                throw usage("the topic name '" + t + "' is illegal: use [%|a-zA-Z0-9_-], at most 127 characters");
            }
            int sysFlag = (unit ? 0x1 : 0) | (hasUnitSub ? 0x2 : 0);
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("topicName", t);
            config.put("readQueueNums", readQueueNums);
            config.put("writeQueueNums", writeQueueNums);
            config.put("perm", perm);
            config.put("topicFilterType", "SINGLE_TAG");
            config.put("topicSysFlag", sysFlag);
            config.put("order", order);
            List<String> addrs = new ArrayList<>();
            AdminClient.ClusterView view = target.brokerAddr == null ? client.clusterInfo() : null;
            addrs.addAll(target.addresses(client, true));
            if (addrs.isEmpty()) {
                throw new AdminException(AdminException.REFUSED, "cluster " + target.clusterName + " has no master");
            }
            for (String addr : addrs) {
                RemotingCommand req = RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_TOPIC)
                        .put("topic", t).put("defaultTopic", "TBW102").put("readQueueNums", readQueueNums)
                        .put("writeQueueNums", writeQueueNums).put("perm", perm).put("topicFilterType", "SINGLE_TAG")
                        .put("topicSysFlag", sysFlag).put("order", order);
                client.callOk(addr, req, "UPDATE_AND_CREATE_TOPIC");
                if (!report.isJson()) {
                    report.message("result", "create topic to " + addr + " success.");
                }
            }
            if (order && view != null) {
                StringBuilder conf = new StringBuilder();
                for (String brokerName : view.brokerNames(target.clusterName.trim())) {
                    if (conf.length() > 0) {
                        conf.append(';');
                    }
                    conf.append(brokerName).append(':').append(writeQueueNums);
                }
                for (String ns : client.nameServers()) {
                    client.callOk(ns, RemotingCommand.request(RequestCode.PUT_KV_CONFIG).put("namespace", "ORDER_TOPIC_CONFIG")
                            .put("key", t).put("value", conf.toString()), "PUT_KV_CONFIG");
                }
                if (!report.isJson()) {
                    report.message("orderConf", "set cluster orderConf. isOrder=" + order + ", orderConf=[" + conf + "]");
                }
            }
            if (report.isJson()) {
                report.values("topicConfig", config);
                report.document("brokers", Report.strings(addrs));
            } else {
                report.message("config", "TopicConfig [topicName=" + t + ", readQueueNums=" + readQueueNums
                        + ", writeQueueNums=" + writeQueueNums + ", perm=" + permName(perm) + ", topicFilterType=SINGLE_TAG"
                        + ", topicSysFlag=" + sysFlag + ", order=" + order + "]");
            }
        }
    }

    static String permName(int perm) {
        return ((perm & 4) != 0 ? "R" : "-") + ((perm & 2) != 0 ? "W" : "-") + ((perm & 1) != 0 ? "X" : "-");
    }

    @Command(name = "deleteTopic", description = "Delete topic from broker and NameServer.")
    static final class DeleteTopic extends AdminCommand {
        @Option(names = {"-t", "--topic"}, required = true, description = "topic name")
        String topic;
        @Option(names = {"-c", "--clusterName"}, required = true, description = "delete topic from which cluster")
        String clusterName;

        @Override
        protected void run(AdminClient client, Report report) {
            deleteTopic(client, clusterName.trim(), topic.trim());
            report.message("result", "delete topic [" + topic.trim() + "] from cluster [" + clusterName.trim() + "] success.");
        }
    }

    /** DELETE_TOPIC_IN_BROKER on every master of the cluster, then DELETE_TOPIC_IN_NAMESRV on every nameserver. */
    static void deleteTopic(AdminClient client, String cluster, String topic) {
        for (String master : client.clusterInfo().masters(cluster)) {
            client.callOk(master, RemotingCommand.request(RequestCode.DELETE_TOPIC_IN_BROKER).put("topic", topic),
                    "DELETE_TOPIC_IN_BROKER");
        }
        for (String ns : client.nameServers()) {
            RemotingCommand r = client.call(ns, RemotingCommand.request(RequestCode.DELETE_TOPIC_IN_NAMESRV)
                    .put("topic", topic).put("clusterName", cluster));
            if (r.code() != ResponseCode.SUCCESS) {
                throw AdminException.refused("DELETE_TOPIC_IN_NAMESRV at " + ns, r.code(), r.remark());
            }
        }
    }
}
