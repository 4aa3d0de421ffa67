package io.rocketcluster.broker.store.index;

import io.rocketcluster.broker.config.MessageStoreConfig;
import io.rocketcluster.broker.store.DiskUsage;
import io.rocketcluster.broker.store.MessageProperties;
import io.rocketcluster.broker.store.MessageStore;
import io.rocketcluster.broker.store.MessageToStore;
import io.rocketcluster.broker.store.PutResult;
import io.rocketcluster.broker.store.StoredRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The index as part of the store: built by the dispatcher, flushed with the checkpoint, recovered at start. */
class MessageStoreIndexTest {
    @TempDir
    Path dir;
    private final List<MessageStore> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(MessageStore::shutdown);
    }

    private MessageStore store(Path root, boolean indexEnabled, int flushInterval) {
        MessageStoreConfig c = new MessageStoreConfig();
        c.setStorePathRootDir(root.toString());
        c.setMappedFileSizeCommitLog(64 * 1024);
        c.setMappedFileSizeConsumeQueue(100 * 20);
        c.setMaxMessageSize(8 * 1024);
        c.setMessageIndexEnable(indexEnabled);
        c.setMaxHashSlotNum(16);
        c.setMaxIndexNum(25);   // 24 entries: 8 messages of 3 keys per file
        c.setFlushIntervalConsumeQueue(flushInterval);
        MessageStore s = new MessageStore(c, System::currentTimeMillis);
        s.start();
        open.add(s);
        return s;
    }

    @Test
    void retentionDeletesTheIndexFilesBelowTheRemainingCommitLog() throws Exception {
        AtomicLong clock = new AtomicLong(System.currentTimeMillis());
        long later = clock.get() + Duration.ofHours(2).toMillis();
        MessageStoreConfig c = new MessageStoreConfig();
        c.setStorePathRootDir(dir.toString());
        c.setMappedFileSizeCommitLog(64 * 1024);
        c.setMaxMessageSize(8 * 1024);
        c.setMaxHashSlotNum(16);
        c.setMaxIndexNum(25);
        c.setFileReservedTime(1);
        c.setDeleteWhen(String.format("%02d", Instant.ofEpochMilli(later).atZone(ZoneId.systemDefault()).getHour()));
        c.setCleanResourceInterval(3_600_000);
        c.setDestroyMapedFileIntervalForcibly(0);
        MessageStore s = new MessageStore(c, clock::get, (DiskUsage) p -> 0.10);
        s.start();
        open.add(s);
        for (int i = 0; i < 60; i++) {
            MessageToStore m = msg("T", i);
            m.body = ("m" + i + "x".repeat(3000)).getBytes(StandardCharsets.UTF_8);
            s.put(m, true).join();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> query(s, "shared").size() == 60);
        long indexFiles;
        try (Stream<Path> files = Files.list(dir.resolve("index"))) {
            indexFiles = files.count();
        }
        assertThat(indexFiles).isGreaterThanOrEqualTo(7);

        clock.set(later);
        assertThat(s.runRetention()).isPositive();
        long min = s.commitLogMinOffset();
        assertThat(min).isPositive();
        List<Long> left = query(s, "shared");
        assertThat(left).isNotEmpty().hasSizeLessThan(60);
        try (Stream<Path> files = Files.list(dir.resolve("index"))) {
            assertThat(files.count()).isLessThan(indexFiles);
        }
        // what is left starts in the file holding the commitlog minimum: at most one file of older entries
        assertThat(left.stream().filter(o -> o < min).count()).isLessThanOrEqualTo(8);
        assertThat(left.stream().filter(o -> o >= min)).allSatisfy(o -> assertThat(s.recordAt(o)).isNotNull());
    }

    private static MessageToStore msg(String topic, int i) throws IOException {
        MessageToStore m = new MessageToStore();
        m.topic = topic;
        m.queueId = i % 2;
        m.body = ("body " + i).getBytes(StandardCharsets.UTF_8);
        Map<String, String> props = new LinkedHashMap<>();
        props.put(MessageProperties.KEYS, "k" + i + " shared");
        props.put(MessageProperties.UNIQ_KEY, "U" + i);
        m.properties = MessageProperties.format(props);
        m.bornTimestamp = System.currentTimeMillis();
        m.bornHost = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5555);
        m.storeHost = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 10911);
        return m;
    }

    private static List<Long> query(MessageStore s, String key) {
        return s.queryIndex("T", key, 64, 0, Long.MAX_VALUE).offsets();
    }

    private static String topicAndUniqKey(MessageStore s, long offset) {
        ByteBuffer r = s.recordAt(offset);
        StoredRecord parsed = StoredRecord.parse(r, 0, r.limit(), false);
        return parsed.topic() + "#" + MessageProperties.get(parsed.properties(), MessageProperties.UNIQ_KEY);
    }

    private static int entriesOnDisk(Path root) throws IOException {
        int n = 0;
        try (Stream<Path> files = Files.list(root.resolve("index"))) {
            for (Path p : files.toList()) {
                n += ByteBuffer.wrap(Files.readAllBytes(p)).getInt(IndexFile.INDEX_COUNT) - 1;
            }
        }
        return n;
    }

    @Test
    void dispatchedMessagesAreFoundByKeyAndUniqKeyAcrossACleanRestart() throws Exception {
        MessageStore s = store(dir, true, 1000);
        List<PutResult> puts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            puts.add(s.put(msg("T", i), true).join());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> query(s, "shared").size() == 20);
        assertThat(query(s, "k7")).containsExactly(puts.get(7).wroteOffset());
        assertThat(query(s, "U7")).containsExactly(puts.get(7).wroteOffset());
        assertThat(topicAndUniqKey(s, query(s, "U7").get(0))).isEqualTo("T#U7");
        assertThat(s.queryIndex("T", "k7", 64, puts.get(7).storeTimestamp() + 1000, Long.MAX_VALUE).offsets()).isEmpty();
        IndexQueryResult r = s.queryIndex("T", "k19", 64, 0, Long.MAX_VALUE);
        assertThat(r.indexLastUpdatePhyoffset()).isEqualTo(puts.get(19).wroteOffset());
        assertThat(r.indexLastUpdateTimestamp()).isEqualTo(puts.get(19).storeTimestamp());
        s.shutdown();
        open.remove(s);
        assertThat(entriesOnDisk(dir)).isEqualTo(60);
        // the checkpoint's indexMsgTimestamp is the last index flush
        assertThat(ByteBuffer.wrap(Files.readAllBytes(dir.resolve("checkpoint"))).getLong(16))
                .isEqualTo(puts.get(19).storeTimestamp());

        // a clean restart re-dispatches the last commitlog file: nothing is indexed twice
        MessageStore again = store(dir, true, 1000);
        PutResult more = again.put(msg("T", 20), true).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> query(again, "shared").size() == 21);
        assertThat(query(again, "k20")).containsExactly(more.wroteOffset());
        assertThat(query(again, "U3")).containsExactly(puts.get(3).wroteOffset());
        again.shutdown();
        open.remove(again);
        assertThat(entriesOnDisk(dir)).isEqualTo(63);
    }

    @Test
    void afterACrashTheIndexIsRebuiltFromWhereDispatchRestarts() throws Exception {
        // the checkpoint is never written while running: recovery re-dispatches from the start
        MessageStore s = store(dir.resolve("live"), true, 3_600_000);
        List<PutResult> puts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            puts.add(s.put(msg("T", i), true).join());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> query(s, "shared").size() == 20);

        // what a kill -9 leaves: the running store's files with the abort marker
        Path crashed = dir.resolve("crashed");
        copyTree(dir.resolve("live"), crashed);
        Files.deleteIfExists(crashed.resolve("lock"));

        MessageStore recovered = store(crashed, true, 3_600_000);
        assertThat(recovered.recoveredFromCrash()).isTrue();
        assertThat(query(recovered, "shared")).hasSize(20);
        for (int i = 0; i < 20; i++) {
            assertThat(query(recovered, "U" + i)).as("U" + i).containsExactly(puts.get(i).wroteOffset());
        }
        PutResult more = recovered.put(msg("T", 20), true).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> query(recovered, "k20").size() == 1);
        assertThat(query(recovered, "k20")).containsExactly(more.wroteOffset());
        recovered.shutdown();
        open.remove(recovered);
        assertThat(entriesOnDisk(crashed)).isEqualTo(63);
    }

    @Test
    void messageIndexEnableFalseBuildsNoIndex() throws Exception {
        MessageStore s = store(dir, false, 1000);
        PutResult r = s.put(msg("T", 0), true).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> s.maxOffset("T", 0) == 1);
        assertThat(query(s, "k0")).isEmpty();
        assertThat(s.recordAt(r.wroteOffset())).isNotNull();
        assertThat(dir.resolve("index")).doesNotExist();
        assertThat(s.deleteIndexFilesBefore(Long.MAX_VALUE)).isZero();
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
}
