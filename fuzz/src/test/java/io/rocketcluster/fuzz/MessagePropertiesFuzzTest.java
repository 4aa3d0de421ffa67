package io.rocketcluster.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rocketcluster.broker.store.MessageProperties;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.rocketcluster.fuzz.Checks.check;
import static io.rocketcluster.fuzz.Checks.checkEqual;

/**
 * The properties string of a message ({@code name \u0001 value \u0002 ...}, docs/store-layout.md §3.1), which a
 * producer sends in the SEND_MESSAGE header and in every entry of a batch body: {@link MessageProperties#parse},
 * {@link MessageProperties#format} and {@link MessageProperties#get}.
 */
class MessagePropertiesFuzzTest {
    private static final List<String> SYSTEM_NAMES = List.of(MessageProperties.TAGS, MessageProperties.KEYS,
            MessageProperties.UNIQ_KEY, MessageProperties.DELAY, MessageProperties.WAIT,
            MessageProperties.REAL_TOPIC, MessageProperties.REAL_QID);

    /**
     * Input: the properties string, UTF-8. Nothing throws; parse agrees with the obvious split-based reading
     * (entries in order, a later duplicate's value wins, entries without a name or a value are dropped);
     * format(parse(s)) is no longer than s and parses back to the same entries, and is a fixed point; get finds
     * the first entry of a name, on s and on the formatted string.
     */
    @FuzzTest(maxDuration = "30s")
    void parseFormatRoundTrip(byte[] input) {
        String s = new String(input, StandardCharsets.UTF_8);
        Map<String, String> parsed = MessageProperties.parse(s);
        checkEqual(entries(reference(s)), entries(parsed), "parsed entries, in order");

        String formatted = MessageProperties.format(parsed);
        check(formatted.length() <= s.length(), "formatted properties (%d chars) longer than the input (%d)",
                formatted.length(), s.length());
        Map<String, String> reparsed = MessageProperties.parse(formatted);
        checkEqual(entries(parsed), entries(reparsed), "entries after format and parse");
        checkEqual(formatted, MessageProperties.format(reparsed), "format of the re-parsed properties");

        Set<String> names = new LinkedHashSet<>(parsed.keySet());
        names.addAll(SYSTEM_NAMES);
        for (String name : names) {
            checkEqual(firstValue(s, name), MessageProperties.get(s, name), "get(" + name + ") on the input");
            checkEqual(parsed.get(name), MessageProperties.get(formatted, name), "get(" + name + ") formatted");
        }
    }

    /** The properties the simplest way: split at \u0002, then at the first \u0001 of each part. */
    private static Map<String, String> reference(String s) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String part : s.split(String.valueOf(MessageProperties.PROPERTY_SEPARATOR), -1)) {
            int sep = part.indexOf(MessageProperties.NAME_VALUE_SEPARATOR);
            if (sep > 0 && sep < part.length() - 1) {
                map.put(part.substring(0, sep), part.substring(sep + 1));
            }
        }
        return map;
    }

    /** The value of the first part named {@code name} (possibly empty), or null. */
    private static String firstValue(String s, String name) {
        for (String part : s.split(String.valueOf(MessageProperties.PROPERTY_SEPARATOR), -1)) {
            int sep = part.indexOf(MessageProperties.NAME_VALUE_SEPARATOR);
            if (sep >= 0 && part.substring(0, sep).equals(name)) {
                return part.substring(sep + 1);
            }
        }
        return null;
    }

    private static List<String> entries(Map<String, String> map) {
        List<String> out = new ArrayList<>();
        map.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }
}
