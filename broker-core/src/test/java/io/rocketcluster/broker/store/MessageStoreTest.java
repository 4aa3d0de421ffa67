package io.rocketcluster.broker.store;

import io.rocketcluster.broker.config.FlushDiskType;
import io.rocketcluster.broker.config.MessageStoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MessageStoreTest {
    private static final int FILE_SIZE = 64 * 1024;
    @TempDir
    Path dir;
    private final List<MessageStore> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(MessageStore::shutdown);
    }

    private MessageStore store(Path root) {
        MessageStoreConfig c = new MessageStoreConfig();
        c.setStorePathRootDir(root.toString());
        c.setMappedFileSizeCommitLog(FILE_SIZE);
        c.setMappedFileSizeConsumeQueue(100 * ConsumeQueue.ENTRY_SIZE);
        c.setMaxMessageSize(8 * 1024);
        c.setFlushIntervalConsumeQueue(3_600_000); // the checkpoint stays where recovery must start
        MessageStore s = new MessageStore(c, System::currentTimeMillis);
        s.start();
        open.add(s);
        return s;
    }

    private static MessageToStore msg(String topic, int queueId, String body, String tag) throws IOException {
        MessageToStore m = new MessageToStore();
        m.topic = topic;
        m.queueId = queueId;
        m.body = body.getBytes(StandardCharsets.UTF_8);
        m.properties = MessageProperties.TAGS + MessageProperties.NAME_VALUE_SEPARATOR + tag;
        m.bornTimestamp = System.currentTimeMillis();
        m.bornHost = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5555);
        m.storeHost = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 10911);
        return m;
    }

    private static List<String> bodies(GetResult r) {
        List<String> out = new ArrayList<>();
        for (ByteBuffer b : r.records()) {
            int bodyLenAt = MessageRecord.bodyLengthOffset(b.getInt(MessageRecord.SYS_FLAG));
            byte[] body = new byte[b.getInt(bodyLenAt)];
            b.get(bodyLenAt + 4, body);
            out.add(new String(body, StandardCharsets.UTF_8));
        }
        return out;
    }

    private void awaitDispatched(MessageStore s, String topic, int queueId, long count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> s.maxOffset(topic, queueId) == count);
    }

    @Test
    void appendsAcrossFilesAndReadsBackInQueueOrder() throws Exception {
        MessageStore s = store(dir);
        String payload = "x".repeat(3000);
        for (int i = 0; i < 60; i++) {
            PutResult r = s.put(msg("T", i % 2, payload + i, i % 3 == 0 ? "A" : "B"), true).join();
            assertThat(r.status()).isEqualTo(PutStatus.PUT_OK);
            assertThat(r.queueOffset()).isEqualTo(i / 2);
        }
        assertThat(s.commitLogMaxOffset()).isGreaterThan(2L * FILE_SIZE);
        awaitDispatched(s, "T", 0, 30);
        awaitDispatched(s, "T", 1, 30);

        GetResult all = s.get("T", 0, 0, 100, MessageFilter.ALL);
        assertThat(all.status()).isEqualTo(GetStatus.FOUND);
        assertThat(bodies(all).get(0)).isEqualTo(payload + 0);
        long next = all.nextBeginOffset();
        List<String> q0 = new ArrayList<>(bodies(all));
        while (next < 30) {
            GetResult more = s.get("T", 0, next, 100, MessageFilter.ALL);
            q0.addAll(bodies(more));
            next = more.nextBeginOffset();
        }
        assertThat(q0).hasSize(30);
        for (int i = 0; i < 30; i++) {
            assertThat(q0.get(i)).isEqualTo(payload + (2 * i));
        }
        long tagA = "A".hashCode();
        GetResult filtered = s.get("T", 0, 0, 32, tagsCode -> tagsCode == tagA);
        assertThat(bodies(filtered)).allSatisfy(b -> assertThat(Integer.parseInt(b.substring(3000)) % 3).isZero());

        assertThat(s.get("T", 0, 30, 32, MessageFilter.ALL).status()).isEqualTo(GetStatus.OFFSET_OVERFLOW_ONE);
        assertThat(s.get("T", 0, 31, 32, MessageFilter.ALL).status()).isEqualTo(GetStatus.OFFSET_OVERFLOW_BADLY);
        assertThat(s.get("nope", 0, 0, 32, MessageFilter.ALL).status()).isEqualTo(GetStatus.NO_MATCHED_LOGIC_QUEUE);
    }

    @Test
    void cleanRestartKeepsEverythingAndContinuesQueueOffsets() throws Exception {
        MessageStore s = store(dir);
        for (int i = 0; i < 10; i++) {
            s.put(msg("T", 0, "m" + i, "A"), true).join();
        }
        awaitDispatched(s, "T", 0, 10);
        s.shutdown();
        open.remove(s);
        assertThat(dir.resolve("abort")).doesNotExist();

        MessageStore again = store(dir);
        assertThat(again.recoveredFromCrash()).isFalse();
        assertThat(again.maxOffset("T", 0)).isEqualTo(10);
        assertThat(again.put(msg("T", 0, "m10", "A"), true).join().queueOffset()).isEqualTo(10);
        awaitDispatched(again, "T", 0, 11);
        assertThat(bodies(again.get("T", 0, 9, 5, MessageFilter.ALL))).containsExactly("m9", "m10");
    }

    @Test
    void crashRecoveryTruncatesATornTailAndRebuildsConsumeQueues() throws Exception {
        MessageStore s = store(dir.resolve("live"));
        for (int i = 0; i < 20; i++) {
            s.put(msg("T", 0, "m" + i, "A"), true).join();
        }
        awaitDispatched(s, "T", 0, 20);
        long validEnd = s.commitLogMaxOffset();

        // what a kill -9 leaves: the running store's files (abort marker present), plus a torn append
        Path crashed = dir.resolve("crashed");
        copyTree(dir.resolve("live"), crashed);
        Files.deleteIfExists(crashed.resolve("lock"));
        Path commitLogFile = crashed.resolve("commitlog").resolve(MappedFile.fileName(0));
        try (FileChannel ch = FileChannel.open(commitLogFile, StandardOpenOption.WRITE)) {
            ByteBuffer torn = ByteBuffer.allocate(40);
            torn.putInt(500).putInt(MessageRecord.MAGIC_MESSAGE).putInt(12345).flip();
            ch.write(torn, validEnd);
        }
        // and consume queue entries that never reached the file
        Path cqFile = crashed.resolve("consumequeue").resolve("T").resolve("0").resolve(MappedFile.fileName(0));
        try (FileChannel ch = FileChannel.open(cqFile, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(5 * ConsumeQueue.ENTRY_SIZE), 15L * ConsumeQueue.ENTRY_SIZE);
        }

        MessageStore recovered = store(crashed);
        assertThat(recovered.recoveredFromCrash()).isTrue();
        assertThat(recovered.commitLogMaxOffset()).isEqualTo(validEnd);
        assertThat(recovered.maxOffset("T", 0)).isEqualTo(20);
        List<String> got = new ArrayList<>();
        long next = 0;
        while (next < 20) {
            GetResult r = recovered.get("T", 0, next, 32, MessageFilter.ALL);
            got.addAll(bodies(r));
            next = r.nextBeginOffset();
        }
        assertThat(got).containsExactlyElementsOf(IntStreamHelper.names("m", 20));
        PutResult after = recovered.put(msg("T", 0, "m20", "A"), true).join();
        assertThat(after.wroteOffset()).isEqualTo(validEnd);
        assertThat(after.queueOffset()).isEqualTo(20);
    }

    @Test
    void syncFlushAcknowledgesAfterTheBytesAreForced() throws Exception {
        MessageStoreConfig c = new MessageStoreConfig();
        c.setStorePathRootDir(dir.toString());
        c.setMappedFileSizeCommitLog(FILE_SIZE);
        c.setMaxMessageSize(8 * 1024);
        c.setFlushDiskType(FlushDiskType.SYNC_FLUSH);
        MessageStore s = new MessageStore(c, System::currentTimeMillis);
        s.start();
        open.add(s);
        PutResult r = s.put(msg("T", 0, "durable", "A"), true).join();
        assertThat(r.status()).isEqualTo(PutStatus.PUT_OK);
        assertThat(s.flushedOffset()).isGreaterThanOrEqualTo(r.wroteOffset() + r.wroteBytes());
    }

    @Test
    void searchesOffsetsByStoreTime() throws Exception {
        MessageStore s = store(dir);
        long[] times = new long[5];
        for (int i = 0; i < 5; i++) {
            times[i] = s.put(msg("T", 0, "m" + i, "A"), true).join().storeTimestamp();
            Thread.sleep(5);
        }
        awaitDispatched(s, "T", 0, 5);
        assertThat(s.offsetByTime("T", 0, times[2])).isEqualTo(2);
        assertThat(s.offsetByTime("T", 0, 0)).isZero();
        // after the last message: the last one, the nearer (only) neighbour, as RocketMQ answers
        assertThat(s.offsetByTime("T", 0, Long.MAX_VALUE)).isEqualTo(4);
        // between two messages (>= 5 ms apart): the nearer one
        assertThat(s.offsetByTime("T", 0, times[2] + 1)).isEqualTo(2);
        assertThat(s.offsetByTime("T", 0, times[3] - 1)).isEqualTo(3);
        assertThat(s.earliestStoreTime("T", 0)).isEqualTo(times[0]);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    static final class IntStreamHelper {
        static List<String> names(String prefix, int n) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(prefix + i);
            }
            return out;
        }
    }
}
