package io.rocketcluster.admin;

import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** Cluster and broker commands: clusterList, brokerStatus, get/updateBrokerConfig, wipe/addWritePerm, clusterRT. */
final class ClusterCommands {
    private ClusterCommands() {
    }

    /** {@code -b brokerAddr | -c clusterName}, exactly one. */
    static final class Target {
        @Option(names = {"-b", "--brokerAddr"}, required = true, description = "broker address host:port")
        String brokerAddr;
        @Option(names = {"-c", "--clusterName"}, required = true, description = "every broker of this cluster")
        String clusterName;

        /** The addresses meant: the one broker, or the cluster's brokers (masters only, or all). */
        List<String> addresses(AdminClient client, boolean mastersOnly) {
            if (brokerAddr != null) {
                return List.of(brokerAddr.trim());
            }
            AdminClient.ClusterView view = client.clusterInfo();
            String c = clusterName.trim();
            return mastersOnly ? view.masters(c) : view.allAddresses(c);
        }
    }

    /** GET_BROKER_RUNTIME_INFO's table. */
    static Map<String, String> runtimeInfo(AdminClient client, String addr) {
        RemotingCommand r = client.callOk(addr, RemotingCommand.request(RequestCode.GET_BROKER_RUNTIME_INFO),
                "GET_BROKER_RUNTIME_INFO");
        Map<String, String> out = new TreeMap<>();
        FastJson.parse(r.body()).path("table").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    @Command(name = "clusterList", description = "List all of clusters")
    static final class ClusterList extends AdminCommand {
        @Option(names = {"-m", "--moreStats"}, description = "Print more stats")
        boolean moreStats;
        @Option(names = {"-i", "--interval"}, paramLabel = "SECONDS", description = "repeat every so many seconds")
        Long interval;
        @Option(names = {"-c", "--clusterName"}, description = "only this cluster")
        String clusterName;

        @Override
        protected void run(AdminClient client, Report report) throws Exception {
            while (true) {
                print(client, report);
                if (interval == null || report.isJson()) {
                    return;
                }
                Thread.sleep(interval * 1000);
            }
        }

        private void print(AdminClient client, Report report) {
            AdminClient.ClusterView view = client.clusterInfo();
            List<List<Object>> rows = new ArrayList<>();
            int unreachable = 0;
            for (Map.Entry<String, List<String>> cluster : view.clusters().entrySet()) {
                if (clusterName != null && !clusterName.trim().equals(cluster.getKey())) {
                    continue;
                }
                for (String brokerName : view.brokerNames(cluster.getKey())) {
                    for (Map.Entry<Long, String> e : AdminClient.addresses(view.brokers().get(brokerName).path("brokerAddrs")).entrySet()) {
                        Map<String, String> info;
                        try {
                            info = runtimeInfo(client, e.getValue());
                        } catch (AdminException ex) {
                            unreachable++;
                            System.err.println("mqadmin clusterList: " + ex.getMessage());
                            info = Map.of();
                        }
                        if (moreStats) {
                            rows.add(List.of(cluster.getKey(), brokerName, e.getKey(), e.getValue(),
                                    num(info, "msgPutTotalTodayMorning") - num(info, "msgPutTotalYesterdayMorning"),
                                    num(info, "msgGetTotalTodayMorning") - num(info, "msgGetTotalYesterdayMorning"),
                                    num(info, "msgPutTotalTodayNow") - num(info, "msgPutTotalTodayMorning"),
                                    num(info, "msgGetTotalTodayNow") - num(info, "msgGetTotalTodayMorning")));
                        } else {
                            rows.add(List.of(cluster.getKey(), brokerName, e.getKey(), e.getValue(),
                                    info.getOrDefault("brokerVersionDesc", ""),
                                    tps(info, "putTps", "sendThreadPoolQueueSize", "sendThreadPoolQueueCapacity"),
                                    tps(info, "getTransferedTps", "pullThreadPoolQueueSize", "pullThreadPoolQueueCapacity"),
                                    info.getOrDefault("pageCacheLockTimeMills", ""),
                                    hours(info), space(info)));
                        }
                    }
                }
            }
            if (moreStats) {
                report.table("brokers", List.of("Cluster Name", "Broker Name", "BID", "Addr", "InTotalYest",
                        "OutTotalYest", "InTotalToday", "OutTotalToday"), rows);
            } else {
                report.table("brokers", List.of("Cluster Name", "Broker Name", "BID", "Addr", "Version",
                        "InTPS(LOAD)", "OutTPS(LOAD)", "PCWait(ms)", "Hour", "SPACE"), rows);
            }
            if (unreachable > 0 && rows.size() == unreachable) {
                throw new AdminException(AdminException.UNREACHABLE, "no broker answered");
            }
        }

        private static long num(Map<String, String> info, String key) {
            try {
                return Long.parseLong(info.getOrDefault(key, "0").trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        private static String tps(Map<String, String> info, String key, String queueSize, String capacity) {
            String v = info.get(key);
            if (v == null) {
                return "";
            }
            double tps;
            try {
                tps = Double.parseDouble(v.trim().split("\\s+")[0]);
            } catch (NumberFormatException e) {
                return v;
            }
            double load = 0;
            long cap = num(info, capacity);
            if (cap > 0) {
                load = 100.0 * num(info, queueSize) / cap;
            }
            return String.format("%.2f(%s,%.1f%%)", tps, info.getOrDefault(queueSize, "0"), load);
        }

        private static String hours(Map<String, String> info) {
            long earliest = num(info, "earliestMessageTimeStamp");
            return earliest <= 0 ? "" : String.format("%.2f", (System.currentTimeMillis() - earliest) / 3600000.0);
        }

        private static String space(Map<String, String> info) {
            String r = info.get("commitLogDiskRatio");
            if (r == null) {
                return "";
            }
            try {
                return String.format("%.4f", Double.parseDouble(r));
            } catch (NumberFormatException e) {
                return r;
            }
        }
    }

    @Command(name = "brokerStatus", description = "Fetch broker runtime status data")
    static final class BrokerStatus extends AdminCommand {
        @ArgGroup(multiplicity = "1")
        Target target;

        @Override
        protected void run(AdminClient client, Report report) {
            for (String addr : target.addresses(client, false)) {
                Map<String, String> info = runtimeInfo(client, addr);
                if (target.brokerAddr == null && !report.isJson()) {
                    report.message("broker", "============" + addr + "============");
                }
                report.values(addr, info);
            }
        }
    }

    @Command(name = "getBrokerConfig", description = "Get broker config by cluster or special broker!")
    static final class GetBrokerConfig extends AdminCommand {
        @ArgGroup(multiplicity = "1")
        Target target;

        @Override
        protected void run(AdminClient client, Report report) throws IOException {
            for (String addr : target.addresses(client, false)) {
                RemotingCommand r = client.callOk(addr, RemotingCommand.request(RequestCode.GET_BROKER_CONFIG),
                        "GET_BROKER_CONFIG");
                Properties p = new Properties();
                p.load(new StringReader(r.body() == null ? "" : new String(r.body(), StandardCharsets.UTF_8)));
                Map<String, String> sorted = new TreeMap<>();
                p.stringPropertyNames().forEach(k -> sorted.put(k, p.getProperty(k)));
                if (!report.isJson()) {
                    report.message("broker", "============" + addr + "============");
                }
                report.values(addr, sorted);
            }
        }
    }

    @Command(name = "updateBrokerConfig", description = "Update broker's config")
    static final class UpdateBrokerConfig extends AdminCommand {
        @ArgGroup(multiplicity = "1")
        Target target;
        @Option(names = {"-k", "--key"}, required = true, description = "config key")
        String key;
        @Option(names = {"-v", "--value"}, required = true, description = "config value")
        String value;

        @Override
        protected void run(AdminClient client, Report report) {
            byte[] body = (key.trim() + "=" + value.trim() + "\n").getBytes(StandardCharsets.UTF_8);
            Map<String, String> done = new LinkedHashMap<>();
            for (String addr : target.addresses(client, false)) {
                client.callOk(addr, RemotingCommand.request(RequestCode.UPDATE_BROKER_CONFIG).body(body),
                        "UPDATE_BROKER_CONFIG");
                if (!report.isJson()) {
                    report.message("broker", "update broker config success, " + addr);
                }
                done.put(addr, "OK");
            }
            if (report.isJson()) {
                report.values("updated", done);
            }
        }
    }

    /** WIPE/ADD_WRITE_PERM_OF_BROKER to every nameserver. */
    abstract static class WritePerm extends AdminCommand {
        @Option(names = {"-b", "--brokerName"}, required = true, description = "broker name")
        String brokerName;

        protected void change(AdminClient client, Report report, int code, String verb, String countField) {
            Map<String, Object> results = client.callEveryNamesrv(() ->
                    RemotingCommand.request(code).put("brokerName", brokerName.trim()));
            List<List<Object>> rows = new ArrayList<>();
            int failed = 0;
            int unreachable = 0;
            for (Map.Entry<String, Object> e : results.entrySet()) {
                if (e.getValue() instanceof RemotingCommand r && r.code() == ResponseCode.SUCCESS) {
                    rows.add(List.of(e.getKey(), "OK", r.getInt(countField, 0)));
                    if (!report.isJson()) {
                        report.message("result", String.format("%s write perm of broker[%s] in name server[%s] OK, %d",
                                verb, brokerName, e.getKey(), r.getInt(countField, 0)));
                    }
                } else {
                    String why = e.getValue() instanceof RemotingCommand r ? "code " + r.code() + " " + r.remark()
                            : ((AdminException) e.getValue()).getMessage();
                    if (e.getValue() instanceof AdminException a && a.exitCode() == AdminException.UNREACHABLE) {
                        unreachable++;
                    } else {
                        failed++;
                    }
                    rows.add(List.of(e.getKey(), "Failed: " + why, 0));
                    if (!report.isJson()) {
                        report.message("result", String.format("%s write perm of broker[%s] in name server[%s] Failed: %s",
                                verb, brokerName, e.getKey(), why));
                    }
                }
            }
            if (report.isJson()) {
                report.table("nameservers", List.of("Name Server", "Result", "Topic Count"), rows);
            }
            if (unreachable == results.size()) {
                throw new AdminException(AdminException.UNREACHABLE, "no nameserver answered");
            }
            if (failed + unreachable > 0) {
                throw new AdminException(AdminException.REFUSED, (failed + unreachable) + " of " + results.size()
                        + " nameservers failed");
            }
        }
    }

    @Command(name = "wipeWritePerm", description = "Wipe write perm of broker in all name server you defined in the -n param")
    static final class WipeWritePerm extends WritePerm {
        @Override
        protected void run(AdminClient client, Report report) {
            change(client, report, RequestCode.WIPE_WRITE_PERM_OF_BROKER, "wipe", "wipeTopicCount");
        }
    }

    @Command(name = "addWritePerm", description = "Add write perm of broker in all name server you defined in the -n param")
    static final class AddWritePerm extends WritePerm {
        @Override
        protected void run(AdminClient client, Report report) {
            change(client, report, RequestCode.ADD_WRITE_PERM_OF_BROKER, "add", "addTopicCount");
        }
    }

    @Command(name = "haResolve", description = "Resolve a replication divergence (RocketCluster): keep the master's "
            + "data (sent to the slave: it saves and cuts what the master lacks; sent to the master: writes accepted "
            + "again) or the slave's (sent to the slave: it stops following; to the master: it refuses writes for good)")
    static final class HaResolve extends AdminCommand {
        @Option(names = {"-b", "--brokerAddr"}, required = true, description = "the broker to tell, host:port")
        String brokerAddr;
        @Option(names = {"-k", "--keep"}, required = true, description = "whose data is the truth: master or slave")
        String keep;

        @Override
        protected void run(AdminClient client, Report report) {
            String k = keep.trim();
            if (!k.equals("master") && !k.equals("slave")) {
                throw usage("-k must be master or slave");
            }
            RemotingCommand r = client.callOk(brokerAddr.trim(),
                    RemotingCommand.request(RequestCode.HA_RESOLVE_DIVERGENCE).put("keep", k), "HA_RESOLVE_DIVERGENCE");
            if (report.isJson()) {
                report.values("haResolve", Map.of("broker", brokerAddr.trim(), "keep", k, "result", String.valueOf(r.remark())));
            } else {
                report.message("result", r.remark());
            }
        }
    }

    @Command(name = "clusterRT", description = "List All clusters Message Send RT (one round; -i repeats)")
    static final class ClusterRT extends AdminCommand {
        @Option(names = {"-a", "--amount"}, defaultValue = "100", description = "message amount | default 100")
        long amount;
        @Option(names = {"-s", "--size"}, defaultValue = "128", description = "message size | default 128 Byte")
        int size;
        @Option(names = {"-c", "--cluster"}, description = "cluster name | default display all cluster")
        String cluster;
        @Option(names = {"-p", "--printLog"}, defaultValue = "false", description = "print as tlog | default false")
        boolean printLog;
        @Option(names = {"-m", "--machineRoom"}, defaultValue = "noname", description = "machine room name | default noname")
        String machineRoom;
        @Option(names = {"-i", "--interval"}, description = "repeat every so many seconds (default: one round)")
        Long interval;

        @Override
        protected void run(AdminClient client, Report report) throws Exception {
            if (amount < 1) {
                throw usage("-a must be at least 1");
            }
            String group = "CLUSTER_RT_" + System.currentTimeMillis();
            byte[] body = "a".repeat(Math.max(0, size)).getBytes(StandardCharsets.UTF_8);
            int allFailed = 0;
            int brokers = 0;
            while (true) {
                AdminClient.ClusterView view = client.clusterInfo();
                List<List<Object>> rows = new ArrayList<>();
                List<String> clusters = cluster != null ? List.of(cluster.trim()) : new ArrayList<>(view.clusters().keySet());
                for (String c : clusters) {
                    for (String brokerName : view.brokerNames(c)) {
                        String master = AdminClient.addresses(view.brokers().get(brokerName).path("brokerAddrs")).get(0L);
                        int ok = 0;
                        int failed = 0;
                        long elapsed = 0;
                        for (long i = 0; i < amount; i++) {
                            long start = System.nanoTime();
                            boolean sent = master != null && send(client, master, group, brokerName, body);
                            long took = System.nanoTime() - start;
                            if (sent) {
                                ok++;
                            } else {
                                failed++;
                            }
                            if (i != 0 || amount == 1) {
                                elapsed += took;
                            }
                        }
                        double rt = elapsed / 1e6 / Math.max(1, amount - 1);
                        brokers++;
                        if (ok == 0) {
                            allFailed++;
                        }
                        if (printLog && !report.isJson()) {
                            report.message("rt", String.format("%s|%s|%s|%s|%d", java.time.LocalDateTime.now(),
                                    machineRoom, c, brokerName, Math.round(rt)));
                        } else {
                            rows.add(List.of(c, brokerName, String.format("%.2f", rt), ok, failed));
                        }
                    }
                }
                if (!rows.isEmpty() || report.isJson()) {
                    report.table("rt", List.of("Cluster Name", "Broker Name", "RT", "successCount", "failCount"), rows);
                }
                if (interval == null || report.isJson()) {
                    break;
                }
                Thread.sleep(interval * 1000);
            }
            if (brokers > 0 && allFailed == brokers) {
                throw new AdminException(AdminException.REFUSED, "no broker accepted a message");
            }
        }

        private static boolean send(AdminClient client, String addr, String group, String topic, byte[] body) {
            RemotingCommand req = RemotingCommand.request(RequestCode.SEND_MESSAGE_V2)
                    .put("a", group).put("b", topic).put("c", "TBW102").put("d", 4).put("e", -1).put("f", 0)
                    .put("g", System.currentTimeMillis()).put("h", 0).put("i", "WAIT\u0001true").put("j", 0)
                    .put("k", false).put("m", false).body(body);
            try {
                return client.call(addr, req).code() == ResponseCode.SUCCESS;
            } catch (AdminException e) {
                return false;
            }
        }
    }
}
