package io.rocketcluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** {@code statsAll [-a] [-t topic]}: per topic and consumer group, backlog, TPS in/out and the day's counts. */
@Command(name = "statsAll", description = "Topic and Consumer tps stats")
final class StatsAll extends AdminCommand {
    @Option(names = {"-a", "--activeTopic"}, description = "print active topic only")
    boolean activeOnly;
    @Option(names = {"-t", "--topic"}, description = "print select topic only")
    String topic;

    /** One VIEW_BROKER_STATS_DATA answer: minute TPS and 24-hour sum (0 when the broker has none). */
    record Stats(double tps, long sum24h) {
    }

    static Stats stats(AdminClient client, String addr, String name, String key) {
        RemotingCommand r = client.call(addr, RemotingCommand.request(AdminCodes.VIEW_BROKER_STATS_DATA)
                .put("statsName", name).put("statsKey", key));
        if (r.code() != ResponseCode.SUCCESS) {
            if (r.code() != ResponseCode.SYSTEM_ERROR) { // 1: no such stats yet, which is zero
                System.err.println("mqadmin statsAll: " + AdminException.refused("VIEW_BROKER_STATS_DATA at " + addr,
                        r.code(), r.remark()).getMessage());
            }
            return new Stats(0, 0);
        }
        JsonNode b = FastJson.parse(r.body());
        long day = b.path("statsDay").path("sum").asLong();
        long hour = b.path("statsHour").path("sum").asLong();
        long minute = b.path("statsMinute").path("sum").asLong();
        return new Stats(b.path("statsMinute").path("tps").asDouble(), day != 0 ? day : hour != 0 ? hour : minute);
    }

    @Override
    protected void run(AdminClient client, Report report) {
        TreeSet<String> topics = topic != null ? new TreeSet<>(List.of(topic.trim())) : client.topicList();
        List<List<Object>> rows = new ArrayList<>();
        for (String t : topics) {
            if (t.startsWith(GroupCommands.RETRY_PREFIX) || t.startsWith(GroupCommands.DLQ_PREFIX)) {
                continue;
            }
            JsonNode route;
            try {
                route = client.route(t);
            } catch (AdminException e) {
                if (topic != null) {
                    throw e;
                }
                continue;
            }
            Map<String, String> brokers = AdminClient.brokersOfRoute(route);
            double inTps = 0;
            long in24h = 0;
            TreeSet<String> groups = new TreeSet<>();
            for (String addr : brokers.values()) {
                Stats s = stats(client, addr, "TOPIC_PUT_NUMS", t);
                inTps += s.tps();
                in24h += s.sum24h();
                try {
                    groups.addAll(TopicCommands.consumersOf(client, addr, t));
                } catch (AdminException e) {
                    System.err.println("mqadmin statsAll: consumer groups of " + t + ": " + e.getMessage());
                }
            }
            if (groups.isEmpty()) {
                if (!activeOnly || in24h > 0) {
                    rows.add(List.of(t, "", 0, String.format("%.2f", inTps), "0.00", in24h, 0));
                }
                continue;
            }
            for (String g : groups) {
                double outTps = 0;
                long out24h = 0;
                long backlog = 0;
                for (String addr : brokers.values()) {
                    Stats s = stats(client, addr, "GROUP_GET_NUMS", t + "@" + g);
                    outTps += s.tps();
                    out24h += s.sum24h();
                    try {
                        for (JsonNode o : GroupCommands.consumeStats(client, addr, g, t).offsets().values()) {
                            backlog += o.path("brokerOffset").asLong() - o.path("consumerOffset").asLong();
                        }
                    } catch (AdminException e) {
                        System.err.println("mqadmin statsAll: offsets of " + g + ": " + e.getMessage());
                    }
                }
                if (!activeOnly || in24h > 0 || out24h > 0) {
                    rows.add(List.of(t, g, backlog, String.format("%.2f", inTps), String.format("%.2f", outTps), in24h, out24h));
                }
            }
        }
        report.table("stats", List.of("Topic", "Consumer Group", "Accumulation", "InTPS", "OutTPS", "InMsg24Hour",
                "OutMsg24Hour"), rows);
    }
}
