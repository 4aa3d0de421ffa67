package io.rocketcluster.broker.config;

import io.rocketcluster.remoting.config.ConfigBinder;
import io.rocketcluster.remoting.config.ConfigException;
import io.rocketcluster.remoting.config.EnvConfig;
import io.rocketcluster.remoting.netty.NettyServerConfig;
import io.rocketcluster.remoting.tls.TlsSettings;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Reads a user's broker.conf as it is: RocketMQ key names and defaults, any of {@code k=v},
 * {@code k = v}, {@code k: v}. Environment variables {@code RC_<key>} override the file (see
 * {@link EnvConfig}). The nameserver list comes from {@code -n} first, then {@code RC_NAMESRV_ADDR},
 * then the file, then {@code NAMESRV_ADDR}. Also enforces RocketMQ's role rules: masters have brokerId 0, slaves &gt; 0,
 * and the HA port is always listenPort+1. The {@code tls.*} keys (RocketMQ's names, docs/tls.md §2) are
 * taken out before binding and resolved with tls.properties and the JVM properties.
 */
public final class BrokerConfigLoader {
    private static final Logger LOG = LogManager.getLogger(BrokerConfigLoader.class);

    /** RocketMQ 4.x keys accepted for compatibility that RocketCluster does not use (yet). */
    static final Set<String> IGNORED_KEYS = Set.of(
            "serverCallbackExecutorThreads", "clientWorkerThreads", "clientCallbackExecutorThreads",
            "clientOnewaySemaphoreValue", "clientAsyncSemaphoreValue", "connectTimeoutMillis",
            "channelNotActiveInterval", "clientChannelMaxIdleTimeSeconds", "clientSocketSndBufSize",
            "clientSocketRcvBufSize", "clientPooledByteBufAllocatorEnable", "clientCloseSocketIfTimeout",
            "fetchNamesrvAddrByAddressServer", "compressedRegister",
            "transientStorePoolEnable", "transientStorePoolSize", "fastFailIfNoBufferInStorePool",
            "warmMapedFileEnable", "flushLeastPagesWhenWarmMapedFile", "deleteCommitLogFilesInterval",
            "deleteConsumeQueueFilesInterval", "redeleteHangedFileInterval",
            "osPageCacheBusyTimeOutMills", "enableConsumeQueueExt", "mappedFileSizeConsumeQueueExt",
            "bitMapLengthConsumeQueueExt", "enableCalcFilterBitMap", "filterServerNums", "commercialEnable",
            "enableDLegerCommitLog", "storeReplyMessageEnable", "isEnableBatchPush", "autoDeleteUnusedStats",
            "startAcceptSendRequestTimeStamp", "debugLockEnable", "duplicationEnable", "diskFallRecorded",
            "filterSupportRetry", "messageStorePlugIn", "highSpeedMode",
            "storePathIndex");

    /** Old spellings RocketMQ renamed in 4.5.2; we accept both. */
    static final Map<String, String> ALIASES = Map.of(
            "mapedFileSizeCommitLog", "mappedFileSizeCommitLog",
            "mapedFileSizeConsumeQueue", "mappedFileSizeConsumeQueue");

    /** @param tls the TLS keys: the file's {@code tls.*} keys over tls.properties over JVM properties */
    public record Loaded(BrokerConfig broker, MessageStoreConfig store, NettyServerConfig server,
                         List<String> unknownKeys, ConfigBinder binder, TlsSettings tls) {
    }

    private BrokerConfigLoader() {
    }

    /** {@code file} (may be null), then the {@code RC_*} environment variables, then {@code -n}. */
    public static Loaded load(Path file, String namesrvOverride) throws IOException {
        return load(file == null ? new Properties() : ConfigBinder.load(file), System.getenv(), namesrvOverride,
                file == null ? null : file.toAbsolutePath().toString());
    }

    public static Loaded load(Properties props, String namesrvOverride, String path) {
        return load(props, Map.of(), namesrvOverride, path);
    }

    /**
     * Binds {@code props} (a file's settings) with the config variables of {@code env} applied over
     * them ({@link EnvConfig}: {@code RC_<key>}, any case, underscores ignored), then {@code -n}.
     */
    public static Loaded load(Properties props, Map<String, String> env, String namesrvOverride, String path) {
        BrokerConfig broker = new BrokerConfig();
        MessageStoreConfig store = new MessageStoreConfig();
        NettyServerConfig server = new NettyServerConfig();
        ConfigBinder binder = new ConfigBinder(List.of(broker, store, server), IGNORED_KEYS, ALIASES);
        props = (Properties) props.clone();
        TlsSettings tls = TlsSettings.resolve(TlsSettings.take(props), System.getProperties());
        EnvConfig.Result fromEnv = EnvConfig.read(env, binder);
        List<String> unknown = new java.util.ArrayList<>(binder.bind(EnvConfig.overlay(props, fromEnv, binder)));
        unknown.addAll(fromEnv.unknown());
        if (namesrvOverride != null && !namesrvOverride.isBlank()) {
            broker.setNamesrvAddr(namesrvOverride);
        }
        broker.setBrokerConfigPath(path);
        validate(broker, store);
        server.setListenPort(broker.getListenPort());
        store.setHaListenPort(broker.getListenPort() + 1);
        return new Loaded(broker, store, server, unknown, binder, tls);
    }

    private static void validate(BrokerConfig broker, MessageStoreConfig store) {
        if (store.getBrokerRole() == BrokerRole.SLAVE) {
            if (broker.getBrokerId() <= 0) {
                throw new ConfigException("bad value for config key 'brokerId': a SLAVE needs brokerId > 0, got "
                        + broker.getBrokerId());
            }
        } else if (broker.getBrokerId() != 0) {
            LOG.warn("brokerRole is {} so brokerId {} is changed to 0", store.getBrokerRole(), broker.getBrokerId());
            broker.setBrokerId(0);
        }
        if (broker.getListenPort() < 3 || broker.getListenPort() > 65534) {
            throw new ConfigException("bad value for config key 'listenPort': " + broker.getListenPort()
                    + " (listenPort-2 and listenPort+1 must be valid ports too)");
        }
        if (store.getMappedFileSizeConsumeQueue() % 20 != 0 || store.getMappedFileSizeConsumeQueue() <= 0) {
            throw new ConfigException("bad value for config key 'mappedFileSizeConsumeQueue': must be a positive "
                    + "multiple of 20, got " + store.getMappedFileSizeConsumeQueue());
        }
        if (store.getMappedFileSizeCommitLog() < 64 * 1024) {
            throw new ConfigException("bad value for config key 'mappedFileSizeCommitLog': at least 65536 bytes, got "
                    + store.getMappedFileSizeCommitLog());
        }
        if (store.getMaxMessageSize() + 64 * 1024 > store.getMappedFileSizeCommitLog()) {
            throw new ConfigException("bad value for config key 'maxMessageSize': " + store.getMaxMessageSize()
                    + " does not fit a commitlog file of " + store.getMappedFileSizeCommitLog() + " bytes");
        }
        if (store.getMaxHashSlotNum() <= 0) {
            throw new ConfigException("bad value for config key 'maxHashSlotNum': must be positive, got "
                    + store.getMaxHashSlotNum());
        }
        if (store.getMaxIndexNum() <= 1) {
            throw new ConfigException("bad value for config key 'maxIndexNum': must be at least 2, got "
                    + store.getMaxIndexNum());
        }
        if (40 + 4L * store.getMaxHashSlotNum() + 20L * store.getMaxIndexNum() > Integer.MAX_VALUE) {
            throw new ConfigException("bad value for config key 'maxIndexNum': " + store.getMaxIndexNum()
                    + " with maxHashSlotNum " + store.getMaxHashSlotNum() + " gives an index file over 2 GiB");
        }
    }
}
