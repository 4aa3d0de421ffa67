package io.rocketcluster.broker.store;

import io.rocketcluster.broker.config.MessageStoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The store refuses every message whose record could not be read back (a topic over 127 UTF-8 bytes,
 * properties over 32,767 bytes, a body over maxMessageSize) or whose topic would become a path outside
 * the consume-queue root, and writes nothing for it; the record encoder never writes a truncated length.
 */
class HostileRecordsTest {
    private static final int MAX_BODY = 8 * 1024;
    @TempDir
    Path dir;
    private final List<MessageStore> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(MessageStore::shutdown);
    }

    private MessageStore store() {
        MessageStoreConfig c = new MessageStoreConfig();
        c.setStorePathRootDir(dir.resolve("store").toString());
        c.setMappedFileSizeCommitLog(1024 * 1024);
        c.setMappedFileSizeConsumeQueue(100 * ConsumeQueue.ENTRY_SIZE);
        c.setMaxMessageSize(MAX_BODY);
        MessageStore s = new MessageStore(c, System::currentTimeMillis);
        s.start();
        open.add(s);
        return s;
    }

    static MessageToStore msg(String topic, String properties, int bodySize) throws Exception {
        MessageToStore m = new MessageToStore();
        m.topic = topic;
        m.queueId = 0;
        m.body = new byte[bodySize];
        m.properties = properties;
        m.bornTimestamp = System.currentTimeMillis();
        m.bornHost = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5555);
        m.storeHost = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 10911);
        return m;
    }

    /** A properties string of exactly {@code bytes} UTF-8 bytes (two-byte characters, an ASCII one if odd). */
    static String properties(int bytes) {
        String value = "\u00e9".repeat((bytes - 2) / 2) + ((bytes - 2) % 2 == 1 ? "v" : "");
        String p = "K" + MessageProperties.NAME_VALUE_SEPARATOR + value;
        assertThat(p.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
        return p;
    }

    private static PutStatus put(MessageStore s, MessageToStore m) {
        return s.put(m, false).join().status();
    }

    @Test
    void aTopicOfAtMost127Utf8BytesIsStoredAndReadBackAndALongerOneIsRefused() throws Exception {
        MessageStore s = store();
        String fits = "\u00e9".repeat(63) + "a"; // 64 characters, 127 bytes
        String tooLong = "\u00e9".repeat(64);    // 64 characters, 128 bytes
        PutResult ok = s.put(msg(fits, "", 10), false).join();
        assertThat(ok.status()).isEqualTo(PutStatus.PUT_OK);
        assertThat(s.messageAt(ok.wroteOffset()).topic()).isEqualTo(fits);

        long before = s.commitLogMaxOffset();
        assertThat(put(s, msg(tooLong, "", 10))).isEqualTo(PutStatus.MESSAGE_ILLEGAL);
        assertThat(put(s, msg("t".repeat(128), "", 10))).isEqualTo(PutStatus.MESSAGE_ILLEGAL);
        assertThat(put(s, msg("t".repeat(262), "", 10))).isEqualTo(PutStatus.MESSAGE_ILLEGAL);
        assertThat(s.commitLogMaxOffset()).isEqualTo(before);
        assertThat(put(s, msg("t".repeat(127), "", 10))).isEqualTo(PutStatus.PUT_OK);
    }

    @Test
    void propertiesOfAtMost32767BytesAreStoredAndLongerOnesAreRefused() throws Exception {
        MessageStore s = store();
        PutResult ok = s.put(msg("T", properties(32767), 10), false).join();
        assertThat(ok.status()).isEqualTo(PutStatus.PUT_OK);
        assertThat(s.messageAt(ok.wroteOffset()).properties()).isEqualTo(properties(32767));
        long before = s.commitLogMaxOffset();
        assertThat(put(s, msg("T", properties(32768), 10))).isEqualTo(PutStatus.PROPERTIES_SIZE_EXCEEDED);
        assertThat(put(s, msg("T", properties(65536 + 10), 10))).isEqualTo(PutStatus.PROPERTIES_SIZE_EXCEEDED);
        assertThat(s.commitLogMaxOffset()).isEqualTo(before);
    }

    @Test
    void aDelayedMessageWhoseRoutingPropertiesWouldNotFitIsRefused() throws Exception {
        MessageStore s = store();
        String delayed = MessageProperties.DELAY + MessageProperties.NAME_VALUE_SEPARATOR + "1"
                + MessageProperties.PROPERTY_SEPARATOR + properties(32767 - 8);
        assertThat(delayed.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(32767);
        long before = s.commitLogMaxOffset();
        assertThat(put(s, msg("T", delayed, 10))).isEqualTo(PutStatus.PROPERTIES_SIZE_EXCEEDED);
        assertThat(s.commitLogMaxOffset()).isEqualTo(before);
    }

    @Test
    void aBodyOverMaxMessageSizeIsRefused() throws Exception {
        MessageStore s = store();
        assertThat(put(s, msg("T", "", MAX_BODY))).isEqualTo(PutStatus.PUT_OK);
        long before = s.commitLogMaxOffset();
        assertThat(put(s, msg("T", "", MAX_BODY + 1))).isEqualTo(PutStatus.MESSAGE_ILLEGAL);
        assertThat(s.commitLogMaxOffset()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"%DLQ%../../../x", "%RETRY%../../x", "a/b", "ABSOLUTE", "..", ".", "a\\b", "a\u0000b", ""})
    void aTopicThatIsNotASafeDirectoryNameIsRefusedAndNothingIsWrittenOutsideTheStore(String name) throws Exception {
        // an absolute path inside this test's directory: were it accepted, nothing outside would be touched
        String topic = name.equals("ABSOLUTE") ? dir.resolve("x").toString() : name;
        MessageStore s = store();
        long before = s.commitLogMaxOffset();
        assertThat(put(s, msg(topic, "", 10))).isEqualTo(PutStatus.MESSAGE_ILLEGAL);
        List<MessageToStore> batch = List.of(msg("Fine", "", 10), msg(topic, "", 10));
        assertThat(s.putBatch(batch, false).join().status()).isEqualTo(PutStatus.MESSAGE_ILLEGAL);
        assertThat(s.commitLogMaxOffset()).isEqualTo(before);

        PutResult ok = s.put(msg("Fine", "", 10), false).join();
        assertThat(ok.status()).isEqualTo(PutStatus.PUT_OK);
        await().atMost(Duration.ofSeconds(5)).until(() -> s.maxOffset("Fine", 0) == 1);
        assertThat(dir.resolve("x")).doesNotExist();
        assertThat(dir.resolve("store").resolve("x")).doesNotExist();
        Path cq = dir.resolve("store").resolve("consumequeue");
        try (Stream<Path> topics = Files.list(cq)) {
            assertThat(topics.map(p -> p.getFileName().toString()).toList()).containsExactly("Fine");
        }
    }

    @Test
    void aRecordWithAnUnsafeTopicFromAnOlderBrokerHaltsDispatchThereAndCreatesNothingOutsideTheRoot() throws Exception {
        MessageStore s = store();
        java.nio.ByteBuffer hostile = MessageRecord.encode(msg("%DLQ%../../x", "", 10));
        MessageRecord.patch(hostile, 0, 0, System.currentTimeMillis());
        s.appendReplicated(0, hostile); // as a master that did not check names would have replicated it
        await().atMost(Duration.ofSeconds(5)).until(() -> s.health().dispatchHaltedAt() == 0);
        assertThat(s.health().notReadyReason()).contains("dispatch halted at commitlog offset 0")
                .contains("%DLQ%../../x").contains("\"..\"");
        assertThat(dir.resolve("store").resolve("x")).doesNotExist();
        Path cq = dir.resolve("store").resolve("consumequeue");
        if (Files.isDirectory(cq)) {
            try (Stream<Path> topics = Files.list(cq)) {
                assertThat(topics.toList()).isEmpty();
            }
        }
    }

    @Test
    void aConsumeQueueDirectoryWithAnUnsafeNameLeftByAnOlderBrokerDoesNotStopTheStore() throws Exception {
        Files.createDirectories(dir.resolve("store").resolve("consumequeue").resolve("%DLQ%..").resolve("0"));
        MessageStore s = store();
        assertThat(s.put(msg("Fine", "", 10), false).join().status()).isEqualTo(PutStatus.PUT_OK);
        await().atMost(Duration.ofSeconds(5)).until(() -> s.maxOffset("Fine", 0) == 1);
    }

    @Test
    void theEncoderRefusesLengthsItCannotWrite() throws Exception {
        assertThatThrownBy(() -> MessageRecord.encode(msg("\u00e9".repeat(64), "", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("127");
        assertThatThrownBy(() -> MessageRecord.encode(msg("T", properties(32768), 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32767");
        assertThat(MessageRecord.encode(msg("\u00e9".repeat(63) + "a", properties(32767), 1)).remaining()).isPositive();
    }

    @Test
    void theConsumeQueueStoreRefusesNamesThatAreNotADirectoryUnderItsRoot() {
        ConsumeQueueStore queues = new ConsumeQueueStore(dir.resolve("cq"), 100 * ConsumeQueue.ENTRY_SIZE, DiskSync.SYSTEM);
        for (String topic : List.of("../x", "a/b", "..", ".", "", dir.resolve("x").toString(), "a\\b", "a\u0000b")) {
            assertThatThrownBy(() -> queues.get(topic, 0)).as(topic).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> queues.delete(topic)).as(topic).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(queues.get("Fine", 3).topic()).isEqualTo("Fine");
        assertThat(dir.resolve("x")).doesNotExist();
    }
}
