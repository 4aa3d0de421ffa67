package io.rocketcluster.broker.admin;

import io.netty.channel.Channel;
import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.config.BrokerConfig;
import io.rocketcluster.broker.config.MessageStoreConfig;
import io.rocketcluster.remoting.config.ConfigBinder;
import io.rocketcluster.remoting.config.ConfigException;
import io.rocketcluster.remoting.config.ConfigFile;
import io.rocketcluster.remoting.data.DataVersion;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.netty.NettyServerConfig;
import io.rocketcluster.remoting.netty.RemotingEndpoint;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * GET_BROKER_CONFIG (26): every broker, store and network setting as properties text, plus the
 * config's DataVersion in extField {@code version}. UPDATE_BROKER_CONFIG (25, body = properties text):
 * <ol>
 *   <li>a value that does not parse or break its key's rule (see {@link RuntimeConfigKeys}) fails the
 *       whole update: code 1 naming the key, nothing applied;</li>
 *   <li>the keys that can change at runtime are applied, written to the broker's config file (when it
 *       was started with one) and bump the config DataVersion; a changed {@code brokerPermission} also
 *       bumps the topic DataVersion and re-registers at once, so routes follow;</li>
 *   <li>keys that need a restart, and unknown keys, are not applied: the answer is then code 1 with a
 *       remark naming them and what was applied.</li>
 * </ol>
 * Thread-safe (updates are serialized).
 */
final class BrokerConfigProcessor implements RequestProcessor {
    private static final Logger LOG = LogManager.getLogger(BrokerConfigProcessor.class);

    private final BrokerController broker;
    private final ConfigBinder live;
    private final DataVersion version = new DataVersion(0, System.currentTimeMillis());

    BrokerConfigProcessor(BrokerController broker) {
        this.broker = broker;
        this.live = new ConfigBinder(List.of(broker.brokerConfig(), broker.storeConfig(), broker.serverConfig()),
                Set.of(), Map.of());
    }

    static int[] codes() {
        return new int[] {RequestCode.UPDATE_BROKER_CONFIG, RequestCode.GET_BROKER_CONFIG};
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        return switch (request.code()) {
            case RequestCode.GET_BROKER_CONFIG -> Replies.ok(request)
                    .body(render().getBytes(StandardCharsets.UTF_8))
                    .put("version", new String(Json.encode(version.copy()), StandardCharsets.UTF_8));
            case RequestCode.UPDATE_BROKER_CONFIG -> update(channel, request);
            default -> throw new IllegalArgumentException("unexpected code " + request.code());
        };
    }

    /** Every setting; secrets are shown masked (anyone allowed GET_BROKER_CONFIG would read them). */
    private synchronized String render() {
        StringBuilder out = new StringBuilder();
        for (String line : live.render().split("\n", -1)) {
            out.append(line.startsWith("brokerSecretKey=") && line.length() > "brokerSecretKey=".length()
                    ? "brokerSecretKey=******" : line).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    private synchronized RemotingCommand update(Channel channel, RemotingCommand request) {
        if (request.body() == null || request.body().length == 0) {
            return Replies.ok(request);
        }
        Properties props = new Properties();
        try {
            props.load(new StringReader(new String(request.body(), StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            return Replies.error(request, ResponseCode.SYSTEM_ERROR, "string2Properties error: " + e.getMessage());
        }
        // type-check every value on throwaway copies, so a bad one changes nothing
        ConfigBinder scratch = new ConfigBinder(List.of(new BrokerConfig(), new MessageStoreConfig(),
                new NettyServerConfig()), Set.of(), Map.of());
        Map<String, String> apply = new LinkedHashMap<>();
        List<String> restartOnly = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String key : new TreeSet<>(props.stringPropertyNames())) {
            String value = props.getProperty(key).trim();
            try {
                if (!scratch.set(key, value)) {
                    unknown.add(key);
                    continue;
                }
            } catch (ConfigException e) {
                return Replies.error(request, ResponseCode.SYSTEM_ERROR, e.getMessage() + "; nothing was applied");
            }
            if (!RuntimeConfigKeys.isRuntime(key)) {
                restartOnly.add(key);
                continue;
            }
            String bad = RuntimeConfigKeys.check(key, value, broker.storeConfig());
            if (bad != null) {
                return Replies.error(request, ResponseCode.SYSTEM_ERROR, "bad value for config key '" + key
                        + "': '" + value + "' " + bad + "; nothing was applied");
            }
            apply.put(key, value);
        }
        int oldPermission = broker.brokerConfig().getBrokerPermission();
        apply.forEach(live::set);
        if (!apply.isEmpty()) {
            version.next(System.currentTimeMillis());
            persist(apply);
            LOG.info("broker config updated by {}: {}", RemotingEndpoint.address(channel), apply);
        }
        if (broker.brokerConfig().getBrokerPermission() != oldPermission) {
            LOG.info("brokerPermission {} -> {}: registering again", oldPermission, broker.brokerConfig().getBrokerPermission());
            broker.topics().dataVersion().next(System.currentTimeMillis());
            broker.topics().persist();
            broker.registerWithNameServersAndWait();
        }
        if (restartOnly.isEmpty() && unknown.isEmpty()) {
            return Replies.ok(request);
        }
        StringBuilder remark = new StringBuilder("Not applied:");
        if (!restartOnly.isEmpty()) {
            remark.append(' ').append(String.join(", ", restartOnly)).append(" (needs a broker restart; keys that can change "
                    + "at runtime: ").append(String.join(", ", RuntimeConfigKeys.keys())).append(')');
        }
        if (!unknown.isEmpty()) {
            remark.append(restartOnly.isEmpty() ? " " : "; ").append(String.join(", ", unknown))
                    .append(" (not a broker config key)");
        }
        remark.append(". Applied: ").append(apply.isEmpty() ? "nothing" : String.join(", ", apply.keySet())).append('.');
        LOG.warn("broker config update by {}: {}", RemotingEndpoint.address(channel), remark);
        return Replies.error(request, ResponseCode.SYSTEM_ERROR, remark.toString());
    }

    /** Writes the applied keys into the file the broker was started with (lines replaced in place, new keys appended). */
    private void persist(Map<String, String> applied) {
        String path = broker.brokerConfig().getBrokerConfigPath();
        if (path == null || path.isBlank()) {
            return;
        }
        try {
            Path file = Path.of(path);
            List<String> lines = Files.exists(file) ? Files.readAllLines(file) : new ArrayList<>();
            Map<String, String> left = new LinkedHashMap<>(applied);
            List<String> out = new ArrayList<>();
            for (String line : lines) {
                String key = keyOf(line);
                if (key != null && applied.containsKey(key)) {
                    if (left.remove(key) != null) {
                        out.add(key + "=" + applied.get(key));
                    }
                    continue;
                }
                out.add(line);
            }
            left.forEach((k, v) -> out.add(k + "=" + v));
            new ConfigFile(file).store(String.join("\n", out) + "\n");
        } catch (IOException | RuntimeException e) {
            LOG.warn("the updated broker config is in force but could not be written to {}: {}", path, e.toString());
        }
    }

    /** The key of a properties line ({@code k=v}, {@code k = v}, {@code k: v}, {@code k v}), null for comments and blanks. */
    static String keyOf(String line) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#") || t.startsWith("!")) {
            return null;
        }
        int end = 0;
        while (end < t.length() && "=: \t".indexOf(t.charAt(end)) < 0) {
            end++;
        }
        return t.substring(0, end);
    }
}
