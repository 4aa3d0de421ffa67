package io.rocketcluster.remoting.tls;

import io.rocketcluster.remoting.config.ConfigException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The TLS keys of a server or tool, under RocketMQ's names (docs/tls.md §2), resolved from three places,
 * later ones winning: JVM system properties ({@code -Dtls.server.mode=enforcing}), the {@code tls.properties}
 * file RocketMQ reads ({@code tls.config.file}, default {@code /etc/rocketmq/tls.properties}), and the
 * {@code tls.*} keys of the server's own config file. Only keys that were set anywhere are present;
 * defaults are applied by {@link ServerTls} and {@link ClientTls}, which also check the values. Immutable.
 */
public final class TlsSettings {
    public static final String PREFIX = "tls.";
    public static final String CONFIG_FILE = "tls.config.file";
    public static final String DEFAULT_CONFIG_FILE = "/etc/rocketmq/tls.properties";

    public static final String SERVER_MODE = "tls.server.mode";
    public static final String SERVER_CERT = "tls.server.certPath";
    public static final String SERVER_KEY = "tls.server.keyPath";
    public static final String SERVER_KEY_PASSWORD = "tls.server.keyPassword";
    public static final String SERVER_TRUST = "tls.server.trustCertPath";
    public static final String SERVER_NEED_CLIENT_AUTH = "tls.server.need.client.auth";
    public static final String SERVER_AUTH_CLIENT = "tls.server.authClient";
    public static final String CLIENT_ENABLE = "tls.enable";
    public static final String CLIENT_CERT = "tls.client.certPath";
    public static final String CLIENT_KEY = "tls.client.keyPath";
    public static final String CLIENT_KEY_PASSWORD = "tls.client.keyPassword";
    public static final String CLIENT_TRUST = "tls.client.trustCertPath";
    public static final String CLIENT_AUTH_SERVER = "tls.client.authServer";
    public static final String TEST_MODE = "tls.test.mode.enable";

    /** Every key RocketMQ 4.x reads, and so the only {@code tls.*} keys a config file may carry. */
    public static final Set<String> KEYS = Set.of(SERVER_MODE, SERVER_CERT, SERVER_KEY, SERVER_KEY_PASSWORD,
            SERVER_TRUST, SERVER_NEED_CLIENT_AUTH, SERVER_AUTH_CLIENT, CLIENT_ENABLE, CLIENT_CERT, CLIENT_KEY,
            CLIENT_KEY_PASSWORD, CLIENT_TRUST, CLIENT_AUTH_SERVER, TEST_MODE, CONFIG_FILE);

    private static final Set<String> SECRET_KEYS = Set.of(SERVER_KEY_PASSWORD, CLIENT_KEY_PASSWORD);

    private final Map<String, String> values;
    private final Map<String, String> sources;

    private TlsSettings(Map<String, String> values, Map<String, String> sources) {
        this.values = Collections.unmodifiableMap(values);
        this.sources = Collections.unmodifiableMap(sources);
    }

    /** No key set anywhere: TLS off on every side. */
    public static TlsSettings none() {
        return new TlsSettings(Map.of(), Map.of());
    }

    /**
     * Removes the {@code tls.*} keys from {@code props} (a server's config file, before its other keys are
     * bound to settings) and returns them.
     *
     * @throws ConfigException naming a {@code tls.*} key RocketMQ does not know (most likely a typo that would
     *                         otherwise leave TLS silently off)
     */
    public static Map<String, String> take(Properties props) {
        Map<String, String> taken = new TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith(PREFIX)) {
                if (!KEYS.contains(key)) {
                    throw new ConfigException("unknown TLS config key '" + key + "'; the TLS keys are " + KEYS.stream().sorted().toList());
                }
                taken.put(key, props.getProperty(key).trim());
                props.remove(key);
            }
        }
        return taken;
    }

    /**
     * Resolves the keys: {@code system}, then the tls.properties file, then {@code configKeys}.
     *
     * @param configKeys the {@code tls.*} keys of the server's config file ({@link #take}); empty for tools
     * @param system     the JVM system properties
     * @throws ConfigException when a tls.properties file is named but cannot be read
     */
    public static TlsSettings resolve(Map<String, String> configKeys, Properties system) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        for (String key : KEYS) {
            String v = system.getProperty(key);
            if (v != null) {
                values.put(key, v.trim());
                sources.put(key, "-D" + key);
            }
        }
        String named = configKeys.getOrDefault(CONFIG_FILE, values.get(CONFIG_FILE));
        Path file = Path.of(named == null || named.isBlank() ? DEFAULT_CONFIG_FILE : named);
        if (Files.isRegularFile(file)) {
            Properties fromFile = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                fromFile.load(in);
            } catch (IOException e) {
                throw new ConfigException("cannot read the TLS config file " + file + " (" + CONFIG_FILE + "): " + e);
            }
            for (String key : fromFile.stringPropertyNames()) {
                if (KEYS.contains(key) && !key.equals(CONFIG_FILE)) {
                    values.put(key, fromFile.getProperty(key).trim());
                    sources.put(key, file.toString());
                }
            }
        } else if (named != null && !named.isBlank()) {
            throw new ConfigException("bad value for config key '" + CONFIG_FILE + "': " + file + " is not a readable file");
        }
        for (Map.Entry<String, String> e : configKeys.entrySet()) {
            values.put(e.getKey(), e.getValue().trim());
            sources.put(e.getKey(), "config file");
        }
        values.values().removeIf(String::isEmpty);
        sources.keySet().retainAll(values.keySet());
        return new TlsSettings(values, sources);
    }

    /** The value of {@code key}, or null when it was set nowhere (or set empty). */
    public String get(String key) {
        return values.get(key);
    }

    public boolean isSet(String key) {
        return values.containsKey(key);
    }

    /**
     * A boolean key: {@code defaultValue} when unset.
     *
     * @throws ConfigException when the value is neither true nor false
     */
    public boolean flag(String key, boolean defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad(key, "true or false");
        };
    }

    /** A path key, checked to name a readable file; null when unset. */
    public Path file(String key) {
        String v = values.get(key);
        if (v == null) {
            return null;
        }
        Path p = Path.of(v);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw bad(key, "a readable PEM file");
        }
        return p;
    }

    ConfigException bad(String key, String expected) {
        String shown = SECRET_KEYS.contains(key) ? "(hidden)" : "'" + values.get(key) + "'";
        return new ConfigException("bad value for TLS config key '" + key + "' (from " + sources.get(key) + "): "
                + shown + "; expected " + expected);
    }

    /** Where each set key came from, secrets masked: for the start-up log. */
    public List<String> describe() {
        return values.keySet().stream().sorted().map(k -> k + "=" + (SECRET_KEYS.contains(k) ? "******" : values.get(k))
                + " (" + sources.get(k) + ")").toList();
    }
}
