package io.rocketcluster.broker.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The properties string: {@code name \u0001 value \u0002 name \u0001 value ...} (docs/store-layout.md §3.1).
 */
public final class MessageProperties {
    public static final char NAME_VALUE_SEPARATOR = 1;
    public static final char PROPERTY_SEPARATOR = 2;
    public static final String TAGS = "TAGS";
    public static final String KEYS = "KEYS";
    public static final String WAIT = "WAIT";
    public static final String UNIQ_KEY = "UNIQ_KEY";
    public static final String CLUSTER = "CLUSTER";
    public static final String DELAY = "DELAY";
    public static final String RETRY_TOPIC = "RETRY_TOPIC";
    public static final String REAL_TOPIC = "REAL_TOPIC";
    public static final String REAL_QID = "REAL_QID";

    private MessageProperties() {
    }

    /**
     * The properties as a map, in one pass: linear in the length of {@code s} whatever it holds (a
     * name-value separator is looked for only inside its own property). Malformed entries (no name,
     * no value, no separator) are dropped, as RocketMQ's client drops them. Callers bound the length
     * first ({@link MessageRecord#MAX_PROPERTIES_LENGTH}).
     */
    public static Map<String, String> parse(String s) {
        Map<String, String> map = new LinkedHashMap<>();
        if (s == null || s.isEmpty()) {
            return map;
        }
        int len = s.length();
        int start = 0;
        int sep = -1;
        for (int i = 0; i <= len; i++) {
            char c = i < len ? s.charAt(i) : PROPERTY_SEPARATOR;
            if (c == NAME_VALUE_SEPARATOR && sep < 0) {
                sep = i;
            } else if (c == PROPERTY_SEPARATOR) {
                if (sep > start && sep < i - 1) {
                    map.put(s.substring(start, sep), s.substring(sep + 1, i));
                }
                start = i + 1;
                sep = -1;
            }
        }
        return map;
    }

    public static String format(Map<String, String> map) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append(PROPERTY_SEPARATOR);
            }
            sb.append(e.getKey()).append(NAME_VALUE_SEPARATOR).append(e.getValue());
        }
        return sb.toString();
    }

    /** One property's value, without building a map. */
    public static String get(String s, String name) {
        if (s == null) {
            return null;
        }
        int from = 0;
        while (true) {
            int i = s.indexOf(name + NAME_VALUE_SEPARATOR, from);
            if (i < 0) {
                return null;
            }
            if (i == 0 || s.charAt(i - 1) == PROPERTY_SEPARATOR) {
                int vs = i + name.length() + 1;
                int ve = s.indexOf(PROPERTY_SEPARATOR, vs);
                return s.substring(vs, ve < 0 ? s.length() : ve);
            }
            from = i + 1;
        }
    }

    /** Tag hash code stored in consume-queue entries: {@code TAGS.hashCode()}, 0 without a tag. */
    public static long tagsCode(String tags) {
        return tags == null || tags.isEmpty() ? 0 : tags.hashCode();
    }
}
