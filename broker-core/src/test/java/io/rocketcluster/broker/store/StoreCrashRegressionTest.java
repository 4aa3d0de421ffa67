package io.rocketcluster.broker.store;

import io.rocketcluster.broker.config.FlushDiskType;
import io.rocketcluster.broker.config.MessageStoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Named regressions found by {@link CrashRecoveryProperties}. */
class StoreCrashRegressionTest {
    @TempDir
    Path root;
    private final SimulatedDisk disk = new SimulatedDisk();

    private MessageStore open() {
        MessageStoreConfig c = new MessageStoreConfig();
        c.setStorePathRootDir(root.toString());
        c.setMappedFileSizeCommitLog(16 * 1024);
        c.setMappedFileSizeConsumeQueue(40 * ConsumeQueue.ENTRY_SIZE);
        c.setFlushDiskType(FlushDiskType.SYNC_FLUSH);
        c.setFlushIntervalCommitLog(5);
        c.setFlushCommitLogLeastPages(1);
        c.setFlushIntervalConsumeQueue(5);
        c.setFlushConsumeQueueThoroughInterval(15);
        c.setMaxHashSlotNum(64);
        c.setMaxIndexNum(256);
        MessageStore s = new MessageStore(c, System::currentTimeMillis, p -> 0.1, disk);
        s.start();
        return s;
    }

    static MessageToStore msg(String topic, String body) {
        MessageToStore m = new MessageToStore();
        m.topic = topic;
        m.queueId = 0;
        m.body = body.getBytes(StandardCharsets.UTF_8);
        m.bornTimestamp = System.currentTimeMillis();
        m.bornHost = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5555);
        m.storeHost = new InetSocketAddress(InetAddress.getLoopbackAddress(), 10911);
        return m;
    }

    /**
     * Found by the property test: files loaded after a crash counted as flushed, so a clean stop
     * wrote a checkpoint over consume-queue entries that were only in the page cache, and a later power
     * loss lost the message from its queue for good.
     */
    @Test
    void aCrashRecoveryForcesWhatTheDeadProcessLeftInThePageCache() throws Exception {
        MessageStore s = open();
        assertThat(s.put(msg("A", "m0"), true).get().status()).isEqualTo(PutStatus.PUT_OK);
        s.abandon();
        s = open();
        assertThat(s.maxOffset("A", 0)).isEqualTo(1);
        s.shutdown();
        s = open();
        s.abandon();
        disk.powerLoss(root);
        s = open();
        assertThat(s.maxOffset("A", 0)).isEqualTo(1);
        s.shutdown();
    }

    /**
     * Found by the property test: a truncation (slave cut to its master's end) zeroed the tail in
     * the page cache only, so a power loss brought the dropped records back.
     */
    @Test
    void aTruncationSurvivesAPowerLoss() throws Exception {
        MessageStore s = open();
        PutResult first = s.put(msg("A", "keep"), true).get();
        PutResult second = s.put(msg("A", "drop"), true).get();
        s.truncateCommitLog(second.wroteOffset());
        s.abandon();
        disk.powerLoss(root);
        s = open();
        assertThat(s.commitLogMaxOffset()).isEqualTo(first.wroteOffset() + first.wroteBytes());
        assertThat(s.maxOffset("A", 0)).isEqualTo(1);
        s.shutdown();
    }

    /**
     * Found by the property test: a truncation while the dispatcher lagged rebuilt the next queue
     * offsets from queues that did not list the undispatched records yet, so a later message reused
     * a queue offset and replaced an acknowledged one in its queue.
     */
    @Test
    void aTruncationWhileDispatchLagsKeepsEveryQueueOffset() throws Exception {
        MessageStore s = open();
        for (int round = 0; round < 20; round++) {
            long before = s.maxOffset("A", 0);
            s.put(msg("A", "kept " + round), false).get();
            PutResult cut = s.put(msg("B", "cut " + round), false).get();
            s.truncateCommitLog(cut.wroteOffset());
            s.put(msg("A", "after " + round), false).get();
            long expected = before + 2;
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> s.maxOffset("A", 0) >= expected);
            assertThat(s.maxOffset("A", 0)).as("round %d", round).isEqualTo(expected);
        }
        s.shutdown();
    }

    /**
     * Found by the property test (a JVM crash): shutting down while a consume-queue flush task ran
     * let that task write the checkpoint after it was unmapped. Shutdown now waits for the task.
     */
    @Test
    void shutdownWaitsForARunningFlushTask() throws Exception {
        for (int i = 0; i < 20; i++) {
            MessageStore s = open();
            s.put(msg("A", "m" + i), true).get();
            Thread.sleep(i % 7);
            s.shutdown();
        }
        MessageStore s = open();
        assertThat(s.maxOffset("A", 0)).isEqualTo(20);
        s.shutdown();
    }

    /**
     * Found by the property test: a consume-queue flush that finished after a truncation of the same
     * file set its flushed position past the new end, so the entries written there next were never
     * forced and a power loss emptied the queue. Flush and truncate are now serialised per file.
     */
    @Test
    void aFlushRacingATruncationNeverSkipsTheEntriesWrittenAfterIt() throws Exception {
        MappedFile f = new MappedFile(root.resolve(MappedFile.fileName(0)), 4096, disk);
        for (int round = 0; round < 200; round++) {
            f.append(java.nio.ByteBuffer.wrap(new byte[]{1, 2, 3, 4}));
            Thread flusher = new Thread(() -> f.flush(0));
            flusher.start();
            f.truncate(0);
            flusher.join();
            assertThat(f.flushedPosition()).as("round %d", round).isLessThanOrEqualTo(f.wrotePosition());
        }
        f.close(true);
    }

    /**
     * Found through a JVM crash in MappedFileLifecycleTest: deleting a topic while the dispatcher lagged
     * reset its queue offsets, so records appended before the deletion were dispatched afterwards into
     * the new queue, among (and over) the new records' entries, and into files retention was deleting.
     */
    @Test
    void aTopicDeletedWhileDispatchLagsStartsAFreshQueue() throws Exception {
        MessageStore s = open();
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 30; i++) {
                s.put(msg("D", "old " + round + "-" + i), false).get();
            }
            s.deleteTopic("D");
            for (int i = 0; i < 3; i++) {
                s.put(msg("D", "new " + round + "-" + i), false).get();
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> s.dispatchBehindBytes() == 0);
            assertThat(s.minOffset("D", 0)).as("round %d", round).isZero();
            assertThat(s.maxOffset("D", 0)).as("round %d", round).isEqualTo(3);
            GetResult r = s.get("D", 0, 0, 32, MessageFilter.ALL);
            try {
                assertThat(r.records()).hasSize(3);
                for (java.nio.ByteBuffer b : r.records()) {
                    StoredRecord rec = StoredRecord.parse(b, b.position(), b.limit(), true);
                    assertThat(rec.queueOffset()).isLessThan(3);
                }
            } finally {
                r.release();
            }
            s.deleteTopic("D");
        }
        s.shutdown();
    }
}
