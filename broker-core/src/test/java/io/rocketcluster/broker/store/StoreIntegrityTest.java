package io.rocketcluster.broker.store;

import io.rocketcluster.broker.config.BrokerRole;
import io.rocketcluster.broker.config.FlushDiskType;
import io.rocketcluster.broker.config.MessageStoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.rocketcluster.broker.store.StoreCrashRegressionTest.msg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Bytes that are not a record: the dispatcher halts loudly, recovery tells a torn tail from corruption. */
class StoreIntegrityTest {
    @TempDir
    Path root;
    private final List<MessageStore> open = new ArrayList<>();

    @AfterEach
    void close() {
        open.forEach(MessageStore::abandon);
    }

    private MessageStoreConfig config(Path dir) {
        MessageStoreConfig c = new MessageStoreConfig();
        c.setStorePathRootDir(dir.toString());
        c.setMappedFileSizeCommitLog(64 * 1024);
        c.setFlushDiskType(FlushDiskType.SYNC_FLUSH);
        return c;
    }

    private MessageStore start(MessageStoreConfig c) {
        MessageStore s = new MessageStore(c, System::currentTimeMillis);
        s.start();
        open.add(s);
        return s;
    }

    /** Three records as a master would store them, then shut down: their bytes, for replication. */
    private ByteBuffer masterLog(int records) throws Exception {
        MessageStore master = new MessageStore(config(root.resolve("master")), System::currentTimeMillis);
        master.start();
        for (int i = 0; i < records; i++) {
            master.put(msg("T", "m" + i), true).get();
        }
        ByteBuffer bytes;
        try (SelectedRegion r = master.selectCommitLog(0, 64 * 1024)) {
            bytes = r.copy();
        }
        master.shutdown();
        return bytes;
    }

    @Test
    void theDispatcherHaltsAtBytesThatAreNotARecordAndSaysWhere() throws Exception {
        ByteBuffer log = masterLog(3);
        int second = log.getInt(0);
        log.putInt(second + MessageRecord.MAGIC, 0x12345678); // the second record's magic is garbage
        MessageStoreConfig c = config(root.resolve("slave"));
        c.setBrokerRole(BrokerRole.SLAVE);
        MessageStore slave = start(c);
        slave.appendReplicated(0, log);
        await().atMost(Duration.ofSeconds(5)).until(() -> slave.health().dispatchHaltedAt() == second);
        assertThat(slave.maxOffset("T", 0)).as("the first record was dispatched, nothing was skipped").isEqualTo(1);
        assertThat(slave.health().notReadyReason()).contains("dispatch halted at commitlog offset " + second)
                .contains("bad magic code");
        assertThat(slave.health().corruptRecords()).isEqualTo(1);
        Thread.sleep(300);
        assertThat(slave.health().corruptRecords()).as("counted once, not once per retry").isEqualTo(1);
    }

    @Test
    void aRecordSplitAcrossReplicationFramesIsWaitedForNotHalted() throws Exception {
        ByteBuffer log = masterLog(2);
        MessageStoreConfig c = config(root.resolve("slave"));
        c.setBrokerRole(BrokerRole.SLAVE);
        MessageStore slave = start(c);
        int cut = log.getInt(0) + 30; // inside the second record
        slave.appendReplicated(0, log.duplicate().limit(cut));
        await().atMost(Duration.ofSeconds(5)).until(() -> slave.maxOffset("T", 0) == 1);
        Thread.sleep(100);
        assertThat(slave.health().notReadyReason()).isNull();
        slave.appendReplicated(cut, log.duplicate().position(cut));
        await().atMost(Duration.ofSeconds(5)).until(() -> slave.maxOffset("T", 0) == 2);
    }

    /** Writes {@code n} records, stops cleanly, and returns the commitlog file and the records' ends. */
    private List<Long> storeAndStop(MessageStoreConfig c, int n) throws Exception {
        MessageStore s = start(c);
        List<Long> ends = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PutResult r = s.put(msg("T", "m" + i), true).get();
            ends.add(r.wroteOffset() + r.wroteBytes());
        }
        s.shutdown();
        open.remove(s);
        return ends;
    }

    private static void corrupt(Path file, long at) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[]{(byte) 0xFF, (byte) 0xEE, (byte) 0xDD, (byte) 0xCC}),
                    at + MessageRecord.MAGIC);
        }
    }

    @Test
    void corruptionBelowTheFlushedOffsetStopsTheStartNamingFileAndOffset() throws Exception {
        MessageStoreConfig c = config(root.resolve("store"));
        List<Long> ends = storeAndStop(c, 5);
        Path file = root.resolve("store/commitlog").resolve(MappedFile.fileName(0));
        corrupt(file, ends.get(1)); // the third record, with two more after it
        Files.writeString(root.resolve("store/abort"), ""); // as after a crash: full recovery scan
        assertThatThrownBy(() -> start(c)).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("commitlog offset " + ends.get(1))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncateCorruptCommitLog");
        assertThat(Files.size(file)).isEqualTo(64 * 1024);
        // nothing was truncated: the later records are still in the file
        MessageStoreConfig salvage = config(root.resolve("store"));
        salvage.setTruncateCorruptCommitLog(true);
        MessageStore s = start(salvage);
        assertThat(s.commitLogMaxOffset()).isEqualTo(ends.get(1));
        assertThat(s.maxOffset("T", 0)).isEqualTo(2);
        Path saved = root.resolve("store/corrupt").resolve(ends.get(1) + "-" + 64 * 1024 + ".bin");
        assertThat(saved).exists();
        assertThat(Files.size(saved)).isEqualTo(64 * 1024 - ends.get(1));
    }

    @Test
    void aTornTailAfterTheFlushedOffsetIsTruncated() throws Exception {
        MessageStoreConfig c = config(root.resolve("store"));
        List<Long> ends = storeAndStop(c, 3);
        Path file = root.resolve("store/commitlog").resolve(MappedFile.fileName(0));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer torn = ByteBuffer.allocate(12);
            torn.putInt(400).putInt(MessageRecord.MAGIC_MESSAGE).putInt(77).flip();
            ch.write(torn, ends.get(2));
        }
        Files.writeString(root.resolve("store/abort"), "");
        MessageStore s = start(c);
        assertThat(s.commitLogMaxOffset()).isEqualTo(ends.get(2));
        assertThat(s.maxOffset("T", 0)).isEqualTo(3);
        assertThat(s.health().notReadyReason()).isNull();
    }
}
