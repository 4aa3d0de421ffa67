package io.rocketcluster.admin;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StoredMessagesTest {
    /** docs/store-layout.md §2.1's worked record: topic T, body "hi", queue 1, offset 5, phys 4096, TAGS=a. */
    private static final String RECORD = "00000064daa320a758932aac0000000100000000000000000000000500000000000010000000000"
            + "00000018bcfe568007f000001000004d20000018bcfe568017f00000100002a9f00000000000000000000000000000002686901540006544147530161";

    @Test
    void decodesTheReferenceRecord() {
        List<StoredMessages.Message> ms = StoredMessages.decodeAll(HexFormat.of().parseHex(RECORD));
        assertThat(ms).hasSize(1);
        StoredMessages.Message m = ms.get(0);
        assertThat(m.topic()).isEqualTo("T");
        assertThat(m.bodyText()).isEqualTo("hi");
        assertThat(m.queueId()).isEqualTo(1);
        assertThat(m.queueOffset()).isEqualTo(5);
        assertThat(m.commitLogOffset()).isEqualTo(4096);
        assertThat(m.tags()).isEqualTo("a");
        assertThat(m.bornHost()).isEqualTo("127.0.0.1:1234");
        assertThat(m.storeHost()).isEqualTo("127.0.0.1:10911");
        assertThat(m.bornTimestamp()).isEqualTo(1700000000000L);
        assertThat(m.offsetMsgId()).isEqualTo("7F00000100002A9F0000000000001000");
        assertThat(m.msgId()).isEqualTo(m.offsetMsgId()); // no UNIQ_KEY
    }

    @Test
    void decodesConcatenatedRecords() {
        byte[] one = HexFormat.of().parseHex(RECORD);
        byte[] two = ByteBuffer.allocate(one.length * 2).put(one).put(one).array();
        assertThat(StoredMessages.decodeAll(two)).hasSize(2);
    }

    @Test
    void offsetMessageIdsRoundTrip() {
        StoredMessages.OffsetId id = StoredMessages.decodeOffsetMsgId("7F00000100002A9F0000000000001000");
        assertThat(id).isEqualTo(new StoredMessages.OffsetId("127.0.0.1:10911", 4096));
        assertThat(StoredMessages.decodeOffsetMsgId("not-an-id")).isNull();
        assertThat(StoredMessages.offsetMsgId("127.0.0.1:10911", 4096)).isEqualTo("7F00000100002A9F0000000000001000");
    }

    @Test
    void propertiesFollowTheSeparators() {
        assertThat(StoredMessages.properties("KEYS\u0001k1 k2\u0002TAGS\u0001a\u0002x\u0002\u0001v"))
                .containsExactly(java.util.Map.entry("KEYS", "k1 k2"), java.util.Map.entry("TAGS", "a"));
    }
}
