package io.rocketcluster.namesrv;

import io.rocketcluster.remoting.config.ConfigFile;
import io.rocketcluster.remoting.config.ConfigBinder;
import io.rocketcluster.remoting.config.ConfigException;
import io.rocketcluster.remoting.config.EnvConfig;
import io.rocketcluster.remoting.netty.NettyServerConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
        List<String> unknown = apply(ConfigBinder.load(file));
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

    /** The keys of {@code props} that {@code configBlackList} forbids changing at run time. */
    public Set<String> blacklistedKeys(Properties props) {
        Set<String> black = new TreeSet<>(Arrays.asList(namesrvConfig.getConfigBlackList().split(";")));
        black.removeIf(String::isBlank);
        Set<String> found = new TreeSet<>(props.stringPropertyNames());
        found.retainAll(black.stream().map(String::trim).toList());
        return found;
    }

    /** All settings as {@code key=value} lines, sorted (GET_NAMESRV_CONFIG, {@code mqnamesrv -p}). */
    public String render() {
        return binder.render();
    }

    /** Writes all settings to {@code configStorePath}, as RocketMQ does after an update. */
    public synchronized void persist() throws IOException {
        new ConfigFile(Path.of(namesrvConfig.getConfigStorePath())).store(render());
    }

    private static ConfigBinder binderFor(NamesrvConfig n, NettyServerConfig s) {
        return new ConfigBinder(List.of(s, n), IGNORED_KEYS, Map.of());
    }
}
