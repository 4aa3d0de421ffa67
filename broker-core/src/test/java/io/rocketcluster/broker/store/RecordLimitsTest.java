package io.rocketcluster.broker.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.rocketcluster.broker.store.HostileRecordsTest.msg;
import static io.rocketcluster.broker.store.HostileRecordsTest.properties;
import static org.assertj.core.api.Assertions.assertThat;

class RecordLimitsTest {
    private static final int MAX = 1024;

    @Test
    void aRecordThatCanBeReadBackHasNoViolation() throws Exception {
        assertThat(RecordLimits.violation(msg("T", "", MAX), MAX)).isNull();
        assertThat(RecordLimits.refusal(msg("T", "", MAX), MAX)).isNull();
        assertThat(RecordLimits.violation(msg("t".repeat(127), properties(32767), 0), MAX)).isNull();
        MessageToStore noProps = msg("T", null, 0);
        noProps.body = null;
        assertThat(RecordLimits.violation(noProps, MAX)).isNull();
    }

    @Test
    void theTopicHasAtMost127Utf8Bytes() throws Exception {
        String n127 = "\u00e9".repeat(63) + "a";
        String n128 = "\u00e9".repeat(64);
        assertThat(n127.getBytes(StandardCharsets.UTF_8)).hasSize(127);
        assertThat(RecordLimits.violation(msg(n127, "", 1), MAX)).isNull();
        assertThat(RecordLimits.violation(msg(n128, "", 1), MAX)).contains("128 UTF-8 bytes").contains("127");
        assertThat(RecordLimits.refusal(msg(n128, "", 1), MAX)).isEqualTo(PutStatus.MESSAGE_ILLEGAL);
        assertThat(RecordLimits.violation(msg("t".repeat(128), "", 1), MAX)).contains("128");
        assertThat(RecordLimits.refusal(msg(null, "", 1), MAX)).isEqualTo(PutStatus.MESSAGE_ILLEGAL);
    }

    @Test
    void theTopicMustBeAPlainDirectoryName() throws Exception {
        for (String topic : new String[] {"%DLQ%../../x", "a/b", "..", ".", "", "a\\b", "a\u0000b"}) {
            assertThat(RecordLimits.violation(msg(topic, "", 1), MAX)).as(topic).contains("consume-queue directory");
            assertThat(RecordLimits.refusal(msg(topic, "", 1), MAX)).as(topic).isEqualTo(PutStatus.MESSAGE_ILLEGAL);
        }
    }

    @Test
    void thePropertiesHaveAtMost32767Utf8Bytes() throws Exception {
        assertThat(RecordLimits.violation(msg("T", properties(32767), 1), MAX)).isNull();
        assertThat(RecordLimits.violation(msg("T", properties(32768), 1), MAX)).contains("32768").contains("32767");
        assertThat(RecordLimits.refusal(msg("T", properties(32768), 1), MAX)).isEqualTo(PutStatus.PROPERTIES_SIZE_EXCEEDED);
        // 10,923 three-byte characters: few enough characters to look short, too many bytes
        String threeByte = "K\u0001" + "\u20ac".repeat(10_922);
        assertThat(threeByte.getBytes(StandardCharsets.UTF_8).length).isEqualTo(32768);
        assertThat(RecordLimits.refusal(msg("T", threeByte, 1), MAX)).isEqualTo(PutStatus.PROPERTIES_SIZE_EXCEEDED);
    }

    @Test
    void theBodyHasAtMostMaxMessageSizeBytes() throws Exception {
        assertThat(RecordLimits.violation(msg("T", "", MAX + 1), MAX)).contains("1025").contains("maxMessageSize 1024");
        assertThat(RecordLimits.refusal(msg("T", "", MAX + 1), MAX)).isEqualTo(PutStatus.MESSAGE_ILLEGAL);
        assertThat(RecordLimits.violation(msg("T", "", MAX + 1), Integer.MAX_VALUE)).isNull();
    }
}
