package io.rocketcluster.remoting.config;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Config keys from environment variables, so a container is configured without editing files.
 *
 * <p>Every variable named {@code RC_<key>} sets {@code <key>}. The part after the prefix is matched
 * against the known keys ignoring case and underscores, so {@code RC_brokerName},
 * {@code RC_BROKER_NAME} and {@code RC_BROKERNAME} all set {@code brokerName}, and
 * {@code RC_BROKER_IP1} sets {@code brokerIP1}. A variable that matches no key is logged as a
 * warning and returned as unknown (like an unknown key in a file); two variables for the same key
 * are an error naming both. Other variables ({@code NAMESRV_ADDR}, {@code ROCKETCLUSTER_HOME_DIR},
 * {@code JAVA_TOOL_OPTIONS}, ...) are not looked at here.
 *
 * <p>Callers apply these over the file's settings: file &lt; environment &lt; command line.
 */
public final class EnvConfig {
    private static final Logger LOG = LogManager.getLogger(EnvConfig.class);
    /** The prefix of every config variable. */
    public static final String PREFIX = "RC_";

    /**
     * @param settings the keys (canonical names) with their values, to apply over the file's
     * @param unknown  the variables that name no key, e.g. {@code RC_BROKER_NAMEE}
     * @param sources  for each key in {@code settings}, the variable it came from
     */
    public record Result(Properties settings, List<String> unknown, Map<String, String> sources) {
    }

    private EnvConfig() {
    }

    /** {@code RC_BROKER_NAME} → {@code brokername}: lower case, no underscores, dots or dashes. */
    static String normalize(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '_' && c != '.' && c != '-') {
                b.append(Character.toLowerCase(c));
            }
        }
        return b.toString();
    }

    /** The config variables of {@code env} matched against {@code binder}'s keys. */
    public static Result read(Map<String, String> env, ConfigBinder binder) {
        return read(env, binder.keys(), binder::canonicalKey);
    }

    /**
     * The config variables of {@code env} matched against {@code knownKeys}; {@code canonical} maps an
     * old spelling to the key it stands for.
     *
     * @throws ConfigException when two variables set the same key, or two known keys cannot be told apart
     */
    public static Result read(Map<String, String> env, Collection<String> knownKeys,
                              java.util.function.UnaryOperator<String> canonical) {
        Map<String, String> byNormalized = new HashMap<>();
        for (String key : knownKeys) {
            String other = byNormalized.put(normalize(key), key);
            if (other != null && !canonical.apply(other).equals(canonical.apply(key))) {
                throw new ConfigException("config keys '" + other + "' and '" + key
                        + "' cannot be told apart in " + PREFIX + " environment variables");
            }
        }
        Properties settings = new Properties();
        Map<String, String> sources = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String var = e.getKey();
            if (!var.toUpperCase(Locale.ROOT).startsWith(PREFIX) || var.length() == PREFIX.length()) {
                continue;
            }
            String key = byNormalized.get(normalize(var.substring(PREFIX.length())));
            if (key == null) {
                LOG.warn("unknown config key in environment variable '{}' (value '{}') is ignored", var, e.getValue());
                unknown.add(var);
                continue;
            }
            key = canonical.apply(key);
            String previous = sources.put(key, var);
            if (previous != null) {
                throw new ConfigException("config key '" + key + "' is set by two environment variables, "
                        + previous + " and " + var + "; keep one");
            }
            settings.setProperty(key, e.getValue());
        }
        if (!sources.isEmpty()) {
            LOG.info("config from environment: {}", sources);
        }
        return new Result(settings, unknown, sources);
    }

    /**
     * {@code file}'s settings with {@code env}'s applied over them: a key set in both keeps the
     * environment's value, also when the file used an old spelling of it.
     */
    public static Properties overlay(Properties file, Result env, ConfigBinder binder) {
        Properties merged = new Properties();
        for (String k : file.stringPropertyNames()) {
            if (!env.settings().containsKey(binder.canonicalKey(k))) {
                merged.setProperty(k, file.getProperty(k));
            }
        }
        for (String k : env.settings().stringPropertyNames()) {
            merged.setProperty(k, env.settings().getProperty(k));
        }
        return merged;
    }
}
