package io.rocketcluster.namesrv;

import io.rocketcluster.remoting.config.ConfigFile;
import io.rocketcluster.remoting.config.ConfigBinder;
import io.rocketcluster.remoting.config.ConfigException;
import io.rocketcluster.remoting.config.EnvConfig;
import io.rocketcluster.remoting.netty.NettyServerConfig;
import io.rocketcluster.remoting.tls.TlsSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything a name server is configured with: {@link NamesrvConfig} and the netty-server settings,
 * both bound from one properties file (docs/configuration.md §1). Also what GET/UPDATE_NAMESRV_CONFIG read
 * and change at run time.
 *
 * <p>Thread-safe: updates are serialized; the settings objects have volatile fields.
 */
public final class NamesrvConfiguration {
    /** RocketMQ name server keys we accept without using them. */
    static final Set<String> IGNORED_KEYS = Set.of(
            "serverSocketBacklog", "writeBufferHighWaterMark", "writeBufferLowWaterMark",
            "enableShutdownGracefully", "shutdownWaitTimeSeconds", "bindAddress",
            "returnOrderTopicConfigToBroker", "clientRequestThreadPoolNums", "defaultThreadPoolNums",
            "clientRequestThreadPoolQueueCapacity", "defaultThreadPoolQueueCapacity",
            "unRegisterBrokerQueueCapacity", "supportActingMaster", "enableAllTopicList", "enableTopicList",
            "notifyMinBrokerIdChanged", "enableControllerInNamesrv", "needWaitForService",
            "waitSecondsForService", "deleteTopicWithBrokerRegistration");

    private final NamesrvConfig namesrvConfig;
    private final NettyServerConfig nettyServerConfig;
    private final ConfigBinder binder;
    /** The file's {@code tls.*} keys (docs/tls.md §2): read at start only, kept when the file is rewritten. */
    private volatile Map<String, String> tlsKeys = Map.of();
    /** Keys read once at start: UPDATE_NAMESRV_CONFIG may not change them (nor any {@code tls.*} key). */
    static final Set<String> START_ONLY_KEYS = Set.of("registrationAuthEnable", "metricsBindAddress");

    public NamesrvConfiguration(NamesrvConfig namesrvConfig, NettyServerConfig nettyServerConfig) {
        this.namesrvConfig = namesrvConfig;
        this.nettyServerConfig = nettyServerConfig;
        // listenPort is a key of both; the name server's value (default 9876) is the one in force
        // and, listed last, the one render() shows
        nettyServerConfig.setListenPort(namesrvConfig.getListenPort());
        this.binder = binderFor(namesrvConfig, nettyServerConfig);
    }

    public static NamesrvConfiguration defaults() {
        return new NamesrvConfiguration(new NamesrvConfig(), new NettyServerConfig());
    }

    /**
     * Applies the settings of {@code file}, whose path becomes {@code configStorePath} as in RocketMQ.
     * Returns the unknown keys (logged as warnings).
     *
     * @throws ConfigException when a value is bad (the message names the key); nothing is applied
     * @throws IOException     when the file cannot be read
     */
    public synchronized List<String> applyFile(Path file) throws IOException {
        Properties props = ConfigBinder.load(file);
        Map<String, String> tls = TlsSettings.take(props);
        List<String> unknown = apply(props);
        tlsKeys = Map.copyOf(tls);
        namesrvConfig.setConfigStorePath(file.toAbsolutePath().toString());
        return unknown;
    }

    /**
     * Applies the config variables of {@code env} ({@code RC_<key>}, any case, underscores ignored;
     * see {@link EnvConfig}); call after {@link #applyFile} so the environment wins over the file.
     * Returns the unknown variables (logged as warnings).
     *
     * @throws ConfigException when a value is bad (the message names the key); nothing is applied
     */
    public synchronized List<String> applyEnv(Map<String, String> env) {
        EnvConfig.Result fromEnv = EnvConfig.read(env, binder);
        List<String> unknown = new ArrayList<>(apply(fromEnv.settings()));
        unknown.addAll(fromEnv.unknown());
        return unknown;
    }

    /** The TLS keys: the file's over tls.properties over the JVM's system properties. */
    public TlsSettings tls() {
        return TlsSettings.resolve(tlsKeys, System.getProperties());
    }

    public NamesrvConfig namesrvConfig() {
        return namesrvConfig;
    }

    public NettyServerConfig nettyServerConfig() {
        return nettyServerConfig;
    }

    /**
     * Applies {@code props}; all values are checked before any is applied, so a bad value changes
     * nothing. Returns the unknown keys (logged as warnings).
     *
     * @throws ConfigException when a value is bad (the message names the key)
     */
    public synchronized List<String> apply(Properties props) {
        ConfigBinder scratch = binderFor(new NamesrvConfig(), new NettyServerConfig());
        for (String key : props.stringPropertyNames()) {
            scratch.set(key, props.getProperty(key).trim());
        }
        return binder.bind(props);
    }

    /**
     * The keys of {@code props} that may not change at run time: those {@code configBlackList} names, those read
     * only at start ({@link #START_ONLY_KEYS}) and the {@code tls.*} keys.
     */
    public Set<String> blacklistedKeys(Properties props) {
        Set<String> black = new TreeSet<>();
        for (String k : namesrvConfig.getConfigBlackList().split(";")) {
            if (!k.isBlank()) {
                black.add(k.trim());
            }
        }
        Set<String> found = new TreeSet<>(props.stringPropertyNames());
        found.removeIf(k -> !black.contains(k.trim()) && !START_ONLY_KEYS.contains(k.trim())
                && !k.trim().startsWith(TlsSettings.PREFIX));
        return found;
    }

    /** All settings as {@code key=value} lines, sorted (GET_NAMESRV_CONFIG, {@code mqnamesrv -p}). */
    public String render() {
        return binder.render();
    }

    /** Writes all settings to {@code configStorePath}, as RocketMQ does after an update. */
    public synchronized void persist() throws IOException {
        StringBuilder text = new StringBuilder(render());
        new TreeMap<>(tlsKeys).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        new ConfigFile(Path.of(namesrvConfig.getConfigStorePath())).store(text.toString());
    }

    private static ConfigBinder binderFor(NamesrvConfig n, NettyServerConfig s) {
        return new ConfigBinder(List.of(s, n), IGNORED_KEYS, Map.of());
    }
}
