package io.rocketcluster.broker.store;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MessageRecordTest {
    /** The worked record of docs/store-layout.md §2.1, checked there against RocketMQ's own encoder. */
    @Test
    void encodesTheReferenceRecordByteForByte() throws Exception {
        MessageToStore m = new MessageToStore();
        m.topic = "T";
        m.queueId = 1;
        m.body = "hi".getBytes(StandardCharsets.UTF_8);
        m.properties = "TAGS\u0001a";
        m.bornTimestamp = 1700000000000L;
        m.bornHost = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 1234);
        m.storeHost = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 10911);
        ByteBuffer record = MessageRecord.encode(m);
        MessageRecord.patch(record, 5, 4096, 1700000000001L);

        String expected = "00000064daa320a758932aac000000010000000000000000000000050000000000001000"
                + "000000000000018bcfe568007f000001000004d20000018bcfe568017f00000100002a9f"
                + "000000000000000000000000000000026869015400065441475301" + "61";
        assertThat(HexFormat.of().formatHex(record.array())).isEqualTo(expected);
        assertThat(MessageRecord.offsetMsgId(m.storeHost, 4096)).isEqualTo("7F00000100002A9F0000000000001000");
        assertThat(MessageRecord.offsetOfMsgId("7F00000100002A9F0000000000001000")).isEqualTo(4096);

        StoredRecord parsed = StoredRecord.parse(record, 0, record.limit(), true);
        assertThat(parsed.size()).isEqualTo(100);
        assertThat(parsed.topic()).isEqualTo("T");
        assertThat(parsed.queueId()).isEqualTo(1);
        assertThat(parsed.queueOffset()).isEqualTo(5);
        assertThat(parsed.physicalOffset()).isEqualTo(4096);
        assertThat(parsed.storeTimestamp()).isEqualTo(1700000000001L);
        assertThat(parsed.tagsCode()).isEqualTo("a".hashCode());
    }

    @Test
    void rejectsACorruptedBody() throws Exception {
        MessageToStore m = new MessageToStore();
        m.topic = "T";
        m.body = "hello".getBytes(StandardCharsets.UTF_8);
        m.bornHost = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 1);
        m.storeHost = m.bornHost;
        ByteBuffer record = MessageRecord.encode(m);
        int bodyAt = record.limit() - 2 - 1 - 1 - 5;
        record.put(bodyAt, (byte) 'X');
        assertThat(StoredRecord.parse(record, 0, record.limit(), true)).isSameAs(StoredRecord.INVALID);
        assertThat(StoredRecord.parse(record, 0, record.limit() - 1, false)).isSameAs(StoredRecord.INVALID);
    }

    @Test
    void propertiesRoundTrip() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("KEYS", "k1 k2");
        p.put("TAGS", "a");
        String s = MessageProperties.format(p);
        assertThat(HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("4b455953016b31206b3202544147530161");
        assertThat(MessageProperties.parse(s)).isEqualTo(p);
        assertThat(MessageProperties.get(s, "TAGS")).isEqualTo("a");
        assertThat(MessageProperties.get(s, "AGS")).isNull();
        assertThat(MessageProperties.parse("x\u0002\u0001v\u0002k\u0001v")).containsExactly(Map.entry("k", "v"));
    }
}
