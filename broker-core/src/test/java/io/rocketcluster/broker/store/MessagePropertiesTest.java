package io.rocketcluster.broker.store;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The properties string parser: RocketMQ's semantics, in linear time. */
class MessagePropertiesTest {
    /** The previous parser (quadratic on separators without a name-value separator): the reference semantics. */
    private static Map<String, String> reference(String s) {
        Map<String, String> map = new LinkedHashMap<>();
        if (s == null || s.isEmpty()) {
            return map;
        }
        int start = 0;
        int len = s.length();
        while (start < len) {
            int end = s.indexOf(MessageProperties.PROPERTY_SEPARATOR, start);
            if (end < 0) {
                end = len;
            }
            int sep = s.indexOf(MessageProperties.NAME_VALUE_SEPARATOR, start);
            if (end - start >= 3 && sep > start && sep < end - 1) {
                map.put(s.substring(start, sep), s.substring(sep + 1, end));
            }
            start = end + 1;
        }
        return map;
    }

    @Provide
    Arbitrary<String> propertyStrings() {
        return Arbitraries.strings().withChars('a', 'b', 'K', '=', '\u0001', '\u0002').ofMaxLength(60);
    }

    @Property(tries = 2000)
    void parsesExactlyAsTheReferenceDoes(@ForAll("propertyStrings") String s) {
        assertThat(MessageProperties.parse(s)).containsExactlyEntriesOf(reference(s));
    }

    @Test
    void roundTripsWhatItFormats() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("TAGS", "a||b");
        m.put("KEYS", "k1 k2");
        m.put("UNIQ_KEY", "7F000001");
        assertThat(MessageProperties.parse(MessageProperties.format(m))).containsExactlyEntriesOf(m);
    }

    /** A hang guard, not a speed target: 4 MiB of separators took the old parser many seconds. */
    @Test
    void megabytesOfSeparatorsParseInLinearTime() {
        String hostile = "\u0002".repeat(4 * 1024 * 1024) + "TAGS\u0001a";
        Map<String, String> parsed = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> MessageProperties.parse(hostile));
        assertThat(parsed).containsExactly(Map.entry("TAGS", "a"));
    }
}
