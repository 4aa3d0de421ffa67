package io.rocketcluster.broker.admin;

import io.rocketcluster.broker.config.MessageStoreConfig;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The broker.conf keys UPDATE_BROKER_CONFIG may change while the broker runs, each with the rule its
 * value must meet. These are exactly the settings the broker reads again each time it uses them
 * (per request, per flush, per retention pass...). Every other key (ports, paths, role, identity,
 * thread pools, file sizes, anything read once at start) needs a restart and is refused.
 */
final class RuntimeConfigKeys {
    /** Checks a value that already has the setting's type; null when acceptable, else why not. */
    @FunctionalInterface
    interface Rule {
        String check(String value, MessageStoreConfig store);
    }

    private static final Pattern HOURS = Pattern.compile("^\\d{1,2}(;\\d{1,2})*$");
    private static final Rule ANY = (v, s) -> null;
    private static final Map<String, Rule> RULES = new TreeMap<>();

    static {
        // BrokerConfig
        RULES.put("brokerPermission", (v, s) -> (Integer.parseInt(v) & ~0xF) == 0 ? null
                : "must combine 2 (write), 4 (read), 1 (inherit), 8 (priority)");
        RULES.put("longPollingEnable", ANY);
        RULES.put("shortPollingTimeMills", atLeast(0));
        RULES.put("notifyConsumerIdsChangedEnable", ANY);
        RULES.put("slaveReadEnable", ANY);
        RULES.put("offsetCheckInSlave", ANY);
        RULES.put("rejectTransactionMessage", ANY);
        RULES.put("transactionTimeOut", atLeast(0));
        RULES.put("transactionCheckMax", atLeast(1));
        RULES.put("enablePropertyFilter", ANY);
        RULES.put("traceOn", ANY);
        RULES.put("regionId", (v, s) -> v.isBlank() ? "must not be blank" : null);
        RULES.put("registerBrokerTimeoutMills", atLeast(1));
        RULES.put("channelExpiredTimeout", atLeast(1000));
        // MessageStoreConfig
        RULES.put("fileReservedTime", atLeast(1));
        RULES.put("deleteWhen", (v, s) -> HOURS.matcher(v).matches() ? null : "must be hours like 04 or 01;13");
        RULES.put("diskMaxUsedSpaceRatio", between(10, 95));
        RULES.put("destroyMapedFileIntervalForcibly", atLeast(0));
        RULES.put("maxMessageSize", (v, s) -> {
            long n = Long.parseLong(v);
            return n < 1 || n + 64 * 1024 > s.getMappedFileSizeCommitLog()
                    ? "must be positive and fit a commitlog file of " + s.getMappedFileSizeCommitLog() + " bytes" : null;
        });
        RULES.put("maxTransferBytesOnMessageInMemory", atLeast(1));
        RULES.put("maxTransferCountOnMessageInMemory", atLeast(1));
        RULES.put("maxTransferBytesOnMessageInDisk", atLeast(1));
        RULES.put("maxTransferCountOnMessageInDisk", atLeast(1));
        RULES.put("accessMessageInMemoryMaxRatio", between(0, 100));
        RULES.put("defaultQueryMaxNum", atLeast(1));
        RULES.put("syncFlushTimeout", atLeast(1));
        RULES.put("flushIntervalCommitLog", atLeast(1));
        RULES.put("flushCommitLogLeastPages", atLeast(0));
        RULES.put("flushCommitLogThoroughInterval", atLeast(0));
        RULES.put("flushConsumeQueueLeastPages", atLeast(0));
        RULES.put("haTransferBatchSize", atLeast(1));
    }

    private RuntimeConfigKeys() {
    }

    static Set<String> keys() {
        return RULES.keySet();
    }

    static boolean isRuntime(String key) {
        return RULES.containsKey(key);
    }

    /** Null when {@code value} is acceptable for runtime key {@code key}, else why not. */
    static String check(String key, String value, MessageStoreConfig store) {
        return RULES.get(key).check(value, store);
    }

    private static Rule atLeast(long min) {
        return (v, s) -> Long.parseLong(v) >= min ? null : "must be at least " + min;
    }

    private static Rule between(long min, long max) {
        return (v, s) -> {
            long n = Long.parseLong(v);
            return n >= min && n <= max ? null : "must be within " + min + ".." + max;
        };
    }
}
