package io.rocketcluster.broker.filter;

import io.rocketcluster.broker.store.MessageProperties;
import io.rocketcluster.broker.store.MessageRecord;
import io.rocketcluster.broker.store.MessageToStore;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The filter reads the properties of stored records: user ones and system ones (TAGS, KEYS). */
class SqlMessageFilterTest {
    private static ByteBuffer record(Map<String, String> props, String hostV6OrNull) {
        MessageToStore m = new MessageToStore();
        m.topic = "T";
        m.queueId = 1;
        m.body = "hello".getBytes(StandardCharsets.UTF_8);
        m.properties = MessageProperties.format(props);
        m.bornTimestamp = 1700000000000L;
        m.bornHost = new InetSocketAddress(hostV6OrNull != null ? hostV6OrNull : "127.0.0.1", 1234);
        m.storeHost = new InetSocketAddress("127.0.0.1", 10911);
        return MessageRecord.encode(m);
    }

    private static SqlMessageFilter filter(String sql) throws SqlCompileException {
        return new SqlMessageFilter(new SqlCompiler().compile(sql));
    }

    @Test
    void everyTagsCodePassesTheConsumeQueueStage() throws Exception {
        SqlMessageFilter f = filter("TAGS = 'a'");
        assertThat(f.matchesTagsCode(0)).isTrue();
        assertThat(f.matchesTagsCode("b".hashCode())).isTrue();
    }

    @Test
    void evaluatesUserAndSystemPropertiesOfTheRecord() throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("a", "4");
        p.put("color", "red");
        p.put(MessageProperties.TAGS, "TagA");
        p.put(MessageProperties.KEYS, "k1 k2");
        ByteBuffer rec = record(p, null);
        assertThat(filter("a BETWEEN 3 AND 6 AND color = 'red'").matchesRecord(rec)).isTrue();
        assertThat(filter("TAGS = 'TagA' AND KEYS = 'k1 k2'").matchesRecord(rec)).isTrue();
        assertThat(filter("TAGS IN ('TagB')").matchesRecord(rec)).isFalse();
        assertThat(filter("missing IS NULL").matchesRecord(rec)).isTrue();
        assertThat(filter("a > 5").matchesRecord(rec)).isFalse();
        assertThat(filter("color > 5").matchesRecord(rec)).isFalse();   // evaluation error
        // the buffer is not consumed
        assertThat(rec.position()).isZero();
    }

    @Test
    void readsRecordsWithIpv6HostsAndAtAnOffset() throws Exception {
        Map<String, String> p = Map.of("a", "1");
        ByteBuffer v6 = record(p, "::1");
        assertThat(filter("a = 1").matchesRecord(v6)).isTrue();
        ByteBuffer big = ByteBuffer.allocate(v6.remaining() + 10);
        big.position(10);
        big.put(v6.duplicate());
        big.position(10);
        assertThat(filter("a = 1").matchesRecord(big.slice())).isTrue();
    }

    @Test
    void aRecordWithoutPropertiesHasOnlyNulls() throws Exception {
        ByteBuffer rec = record(Map.of(), null);
        assertThat(filter("a IS NULL").matchesRecord(rec)).isTrue();
        assertThat(filter("a = 1").matchesRecord(rec)).isFalse();
        assertThat(filter("TRUE").matchesRecord(rec)).isTrue();
    }

    @Test
    void garbageIsNotAMatchUnlessTheExpressionIsAlwaysTrue() throws Exception {
        ByteBuffer junk = ByteBuffer.wrap(new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        assertThat(filter("a = 1").matchesRecord(junk)).isFalse();
    }
}
