package io.rocketcluster.broker.admin;

import io.netty.channel.Channel;
import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.stats.RollingCounter;
import io.rocketcluster.broker.stats.TrafficStats;
import io.rocketcluster.broker.store.StoredMessage;
import io.rocketcluster.broker.util.RequestExecutor;
import io.rocketcluster.remoting.data.BrokerStatsData;
import io.rocketcluster.remoting.data.BrokerStatsItem;
import io.rocketcluster.remoting.data.KVTable;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RemotingVersion;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;

import java.io.File;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * GET_BROKER_RUNTIME_INFO (28): the key/value table {@code clusterList} and {@code brokerStatus} print
 * (docs/remoting.md §8), and VIEW_BROKER_STATS_DATA (315): one statistic over the last minute, hour and
 * day ({@code TOPIC_PUT_NUMS} by topic, {@code GROUP_GET_NUMS} by {@code topic@group}). Read-only;
 * thread-safe.
 */
final class RuntimeInfoProcessor implements RequestProcessor {
    private final BrokerController broker;

    RuntimeInfoProcessor(BrokerController broker) {
        this.broker = broker;
    }

    static int[] codes() {
        return new int[] {RequestCode.GET_BROKER_RUNTIME_INFO, RequestCode.VIEW_BROKER_STATS_DATA};
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        return switch (request.code()) {
            case RequestCode.GET_BROKER_RUNTIME_INFO -> Replies.ok(request, new KVTable(runtimeInfo()));
            case RequestCode.VIEW_BROKER_STATS_DATA -> statsData(request);
            default -> throw new IllegalArgumentException("unexpected code " + request.code());
        };
    }

    Map<String, String> runtimeInfo() {
        Map<String, String> m = new TreeMap<>();
        long now = System.currentTimeMillis();
        TrafficStats traffic = broker.stats().traffic();
        m.put("brokerVersionDesc", RemotingVersion.CURRENT_DESC);
        m.put("brokerVersion", String.valueOf(RemotingVersion.CURRENT));
        TrafficStats.DailyTotals puts = traffic.putTotals();
        m.put("msgPutTotalYesterdayMorning", String.valueOf(puts.yesterdayMorning()));
        m.put("msgPutTotalTodayMorning", String.valueOf(puts.todayMorning()));
        m.put("msgPutTotalTodayNow", String.valueOf(puts.now()));
        TrafficStats.DailyTotals gets = traffic.getTotals();
        m.put("msgGetTotalYesterdayMorning", String.valueOf(gets.yesterdayMorning()));
        m.put("msgGetTotalTodayMorning", String.valueOf(gets.todayMorning()));
        m.put("msgGetTotalTodayNow", String.valueOf(gets.now()));
        m.put("putTps", rates(traffic.putTps()));
        m.put("getTransferedTps", rates(traffic.getTransferredTps()));
        m.put("getFoundTps", rates(traffic.getFoundTps()));
        m.put("putMessageTimesTotal", String.valueOf(traffic.putCalls()));
        pool(m, "send", "sendThreadPoolQueueSize", "sendThreadPoolQueueCapacity", "sendThreadPoolQueueHeadWaitTimeMills");
        pool(m, "pull", "pullThreadPoolQueueSize", "pullThreadPoolQueueCapacity", "pullThreadPoolQueueHeadWaitTimeMills");
        pool(m, "query", "queryThreadPoolQueueSize", "queryThreadPoolQueueCapacity", "queryThreadPoolQueueHeadWaitTimeMills");
        pool(m, "end-transaction", "EndTransactionQueueSize", "EndTransactionThreadPoolQueueCapacity", null);
        m.put("pageCacheLockTimeMills", "0");
        m.put("dispatchBehindBytes", String.valueOf(broker.store().dispatchBehindBytes()));
        m.put("commitLogMinOffset", String.valueOf(broker.store().commitLogMinOffset()));
        m.put("commitLogMaxOffset", String.valueOf(broker.store().commitLogMaxOffset()));
        m.put("remainHowManyDataToFlush", humanBytes(Math.max(0,
                broker.store().commitLogMaxOffset() - broker.store().flushedOffset())));
        long earliest = earliestMessageTime();
        if (earliest > 0) {
            m.put("earliestMessageTimeStamp", String.valueOf(earliest));
        }
        double ratio = broker.store().diskUsedRatio();
        if (ratio >= 0) {
            m.put("commitLogDiskRatio", String.valueOf(ratio));
            m.put("consumeQueueDiskRatio", String.valueOf(ratio));
        }
        File root = new File(broker.storeConfig().getStorePathRootDir());
        if (root.exists()) {
            m.put("commitLogDirCapacity", String.format(Locale.ROOT, "Total : %s, Free : %s.",
                    humanBytes(root.getTotalSpace()), humanBytes(root.getUsableSpace())));
        }
        m.put("startAcceptSendRequestTimeStamp", "0");
        long boot = broker.stats().bootTimestamp();
        m.put("bootTimestamp", String.valueOf(boot));
        m.put("runtime", uptime(now - boot));
        return m;
    }

    private void pool(Map<String, String> m, String name, String sizeKey, String capacityKey, String headWaitKey) {
        RequestExecutor e = broker.requestExecutor(name);
        if (e == null) {
            return;
        }
        m.put(sizeKey, String.valueOf(e.queueSize()));
        m.put(capacityKey, String.valueOf(e.queueCapacity()));
        if (headWaitKey != null) {
            m.put(headWaitKey, String.valueOf(e.headWaitMillis()));
        }
    }

    /** Store time of the oldest message still in the commitlog, 0 when it holds none. */
    private long earliestMessageTime() {
        try {
            StoredMessage first = broker.store().messageAt(broker.store().commitLogMinOffset());
            return first == null ? 0 : first.storeTimestamp();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private RemotingCommand statsData(RemotingCommand request) {
        String name = request.require("statsName");
        String key = request.require("statsKey");
        TrafficStats.KeyedWindows w = broker.stats().traffic().keyed(name, key);
        if (w == null) {
            return Replies.error(request, ResponseCode.SYSTEM_ERROR, String.format("The stats <%s> <%s> not exist", name, key));
        }
        BrokerStatsData data = new BrokerStatsData();
        data.statsMinute = item(w.minute());
        data.statsHour = item(w.hour());
        data.statsDay = item(w.day());
        return Replies.ok(request, data);
    }

    private static BrokerStatsItem item(RollingCounter.Window w) {
        return new BrokerStatsItem(w.sum(), w.tps(), w.avgpt());
    }

    /** Three rates as RocketMQ prints them: {@code "1.000 0.500 0.050"} (10 s, 60 s, 600 s). */
    static String rates(double[] tps) {
        return String.format(Locale.ROOT, "%.3f %.3f %.3f", tps[0], tps[1], tps[2]);
    }

    static String uptime(long millis) {
        long s = millis / 1000;
        return String.format(Locale.ROOT, "[ %d days, %d hours, %d minutes, %d seconds ]",
                s / 86400, s / 3600 % 24, s / 60 % 60, s % 60);
    }

    /** RocketMQ's humanReadableByteCount (SI units): {@code 12.3 GB}. */
    static String humanBytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        int exp = (int) (Math.log(bytes) / Math.log(1000));
        return String.format(Locale.ROOT, "%.1f %sB", bytes / Math.pow(1000, exp), "kMGTPE".charAt(exp - 1));
    }
}
