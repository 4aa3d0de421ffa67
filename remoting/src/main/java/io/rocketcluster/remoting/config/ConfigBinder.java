package io.rocketcluster.remoting.config;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Binds RocketMQ-style {@code java.util.Properties} files onto settings objects by setter name
 * ({@code key} → {@code setKey}), as RocketMQ does, but stricter where it helps users:
 * values are trimmed, a value that does not parse stops start-up with a message naming the key,
 * and a key no settings object knows is logged as a warning instead of silently dropped.
 * Keys listed as {@code ignoredKeys} are RocketMQ keys we accept but do not need.
 */
public final class ConfigBinder {
    private static final Logger LOG = LogManager.getLogger(ConfigBinder.class);

    private final List<Object> targets;
    private final Set<String> ignoredKeys;
    private final Map<String, String> aliases;

    public ConfigBinder(List<Object> targets, Set<String> ignoredKeys, Map<String, String> aliases) {
        this.targets = targets;
        this.ignoredKeys = ignoredKeys;
        this.aliases = aliases;
    }

    public static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }

    /**
     * Applies every property; returns the keys that were not recognised (already logged).
     *
     * @throws ConfigException when a value cannot be converted to its setting's type
     */
    public List<String> bind(Properties props) {
        List<String> unknown = new ArrayList<>();
        for (String rawKey : new TreeMap<>(toMap(props)).keySet()) {
            String key = aliases.getOrDefault(rawKey, rawKey);
            String value = props.getProperty(rawKey).trim();
            if (!set(key, value)) {
                if (ignoredKeys.contains(key)) {
                    LOG.info("config key '{}' is accepted for compatibility and has no effect here", rawKey);
                } else {
                    LOG.warn("unknown config key '{}' (value '{}') is ignored", rawKey, value);
                    unknown.add(rawKey);
                }
            }
        }
        return unknown;
    }

    /** Sets one key; false when no target has such a setting. */
    public boolean set(String key, String value) {
        boolean found = false;
        for (Object target : targets) {
            Method setter = setter(target.getClass(), key);
            if (setter == null) {
                continue;
            }
            found = true;
            Object converted = convert(key, value, setter.getParameterTypes()[0]);
            try {
                setter.invoke(target, converted);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            } catch (InvocationTargetException e) {
                throw new ConfigException("bad value for config key '" + key + "': '" + value + "' ("
                        + e.getCause().getMessage() + ")");
            }
        }
        return found;
    }

    /**
     * Every key this binder accepts: the settings of all targets, the ignored compatibility keys and
     * the old spellings (what {@link EnvConfig} matches environment variables against).
     */
    public Set<String> keys() {
        Set<String> keys = new java.util.TreeSet<>(ignoredKeys);
        keys.addAll(aliases.keySet());
        for (Object target : targets) {
            for (Method m : target.getClass().getMethods()) {
                String name = m.getName();
                if (name.length() > 3 && name.startsWith("set") && m.getParameterCount() == 1
                        && !Modifier.isStatic(m.getModifiers()) && isSupported(m.getParameterTypes()[0])) {
                    keys.add(decap(name.substring(3)));
                }
            }
        }
        return keys;
    }

    /** The key an old spelling stands for; other keys unchanged. */
    public String canonicalKey(String key) {
        return aliases.getOrDefault(key, key);
    }

    /** All settings of all targets, {@code key=value} per line, sorted (GET_BROKER_CONFIG, {@code -p}). */
    public String render() {
        Map<String, String> all = new TreeMap<>();
        for (Object target : targets) {
            all.putAll(values(target));
        }
        StringWriter w = new StringWriter();
        all.forEach((k, v) -> w.append(k).append('=').append(v).append('\n'));
        return w.toString();
    }

    /** The current values of one settings object, by key. */
    public static Map<String, String> values(Object target) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Method m : target.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = m.getName();
            String key = name.startsWith("get") && name.length() > 3 ? name.substring(3)
                    : name.startsWith("is") && name.length() > 2 ? name.substring(2) : null;
            if (key == null || setter(target.getClass(), decap(key)) == null) {
                continue;
            }
            try {
                Object v = m.invoke(target);
                out.put(decap(key), v == null ? "" : v.toString());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static String decap(String s) {
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static Method setter(Class<?> type, String key) {
        if (key.isEmpty()) {
            return null;
        }
        String name = "set" + Character.toUpperCase(key.charAt(0)) + key.substring(1);
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 1 && isSupported(m.getParameterTypes()[0])) {
                return m;
            }
        }
        return null;
    }

    private static boolean isSupported(Class<?> t) {
        return t == String.class || t == int.class || t == long.class || t == boolean.class
                || t == double.class || t.isEnum();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object convert(String key, String value, Class<?> type) {
        try {
            if (type == String.class) {
                return value;
            }
            if (type == int.class) {
                return Integer.parseInt(value);
            }
            if (type == long.class) {
                return Long.parseLong(value);
            }
            if (type == double.class) {
                return Double.parseDouble(value);
            }
            if (type == boolean.class) {
                if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException("expected true or false");
                }
                return Boolean.parseBoolean(value);
            }
            return Enum.valueOf((Class<? extends Enum>) type, value);
        } catch (IllegalArgumentException e) {
            String expected = type.isEnum() ? "one of " + java.util.Arrays.toString(type.getEnumConstants())
                    : "a " + type.getSimpleName();
            throw new ConfigException("bad value for config key '" + key + "': '" + value + "' is not "
                    + expected);
        }
    }

    private static Map<String, String> toMap(Properties p) {
        Map<String, String> m = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }
}
