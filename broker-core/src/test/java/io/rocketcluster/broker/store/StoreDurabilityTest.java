package io.rocketcluster.broker.store;

import io.rocketcluster.broker.config.FlushDiskType;
import io.rocketcluster.broker.config.MessageStoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.rocketcluster.broker.store.StoreCrashRegressionTest.msg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Acknowledged means durable for the mode: I/O errors, dead threads and the checkpoint. */
class StoreDurabilityTest {
    @TempDir
    Path root;
    private final SimulatedDisk disk = new SimulatedDisk();
    private final List<MessageStore> open = new ArrayList<>();

    @AfterEach
    void close() {
        open.forEach(MessageStore::abandon);
    }

    private MessageStore open(FlushDiskType type) {
        MessageStoreConfig c = new MessageStoreConfig();
        c.setStorePathRootDir(root.toString());
        c.setMappedFileSizeCommitLog(64 * 1024);
        c.setFlushDiskType(type);
        c.setFlushIntervalCommitLog(10);
        c.setFlushCommitLogLeastPages(0);
        MessageStore s = new MessageStore(c, System::currentTimeMillis, p -> 0.1, disk);
        s.start();
        open.add(s);
        return s;
    }

    @Test
    void asyncFlushRefusesEveryWriteAfterAFailedForce() throws Exception {
        MessageStore s = open(FlushDiskType.ASYNC_FLUSH);
        assertThat(s.put(msg("T", "before"), true).get().status()).isEqualTo(PutStatus.PUT_OK);
        disk.failWith(SimulatedDisk.ioError());
        // the next write gives the flusher something to force, which fails
        s.put(msg("T", "racing the failure"), true).get();
        await().atMost(Duration.ofSeconds(5)).until(() -> s.writeRefusal() != null);
        for (int i = 0; i < 20; i++) {
            assertThat(s.put(msg("T", "after " + i), true).get().status()).isEqualTo(PutStatus.SERVICE_NOT_AVAILABLE);
        }
        assertThat(s.health().notReadyReason()).contains("commitlog force failed").contains("restarted");
        assertThat(s.health().ioFailures()).isPositive();
    }

    @Test
    void syncFlushNeverAcknowledgesAgainAfterAFailedForce() throws Exception {
        MessageStore s = open(FlushDiskType.SYNC_FLUSH);
        assertThat(s.put(msg("T", "before"), true).get().status()).isEqualTo(PutStatus.PUT_OK);
        disk.failWith(SimulatedDisk.ioError());
        assertThat(s.put(msg("T", "its force fails"), true).get().status()).isEqualTo(PutStatus.FLUSH_DISK_TIMEOUT);
        for (int i = 0; i < 20; i++) {
            // before the fix the batches after the failed one got PUT_OK again
            assertThat(s.put(msg("T", "after " + i), true).get().status()).isNotEqualTo(PutStatus.PUT_OK);
        }
        assertThat(s.writeRefusal()).contains("commitlog force failed");
    }

    @Test
    void aFlusherKilledByAnErrorShowsInHealthAndStopsWrites() throws Exception {
        MessageStore s = open(FlushDiskType.SYNC_FLUSH);
        disk.failWith(() -> new InternalError("a fault occurred in an unsafe memory access (simulated)"));
        s.put(msg("T", "its force dies"), true).get();
        await().atMost(Duration.ofSeconds(5)).until(() -> s.health().deadThreads().containsKey("store-commitlog-flush"));
        assertThat(s.health().notReadyReason()).isNotNull();
        assertThat(s.put(msg("T", "after"), true).get().status()).isEqualTo(PutStatus.SERVICE_NOT_AVAILABLE);
    }

    @Test
    void aDispatcherKilledByAnErrorShowsInHealth() throws Exception {
        MessageStore s = open(FlushDiskType.ASYNC_FLUSH);
        s.addArrivalListener((topic, queueId, next, tags) -> {
            if (topic.equals("Poison")) {
                throw new StackOverflowError("simulated");
            }
        });
        s.put(msg("T", "fine"), true).get();
        assertThat(s.health().notReadyReason()).isNull();
        s.put(msg("Poison", "kills the dispatcher"), true).get();
        await().atMost(Duration.ofSeconds(5)).until(() -> s.health().deadThreads().containsKey("store-dispatch"));
        assertThat(s.health().notReadyReason()).contains("store-dispatch");
    }

    @Test
    void theCheckpointNeverClaimsQueueEntriesThatAreNotOnDisk() throws Exception {
        MessageStoreConfig c = new MessageStoreConfig();
        c.setStorePathRootDir(root.toString());
        c.setMappedFileSizeCommitLog(64 * 1024);
        c.setFlushDiskType(FlushDiskType.SYNC_FLUSH);
        c.setFlushIntervalConsumeQueue(5);
        c.setFlushConsumeQueueThoroughInterval(20);
        MessageStore s = new MessageStore(c, System::currentTimeMillis, p -> 0.1, disk);
        s.start();
        // one entry per queue in many queues: each queue has less than the 2 dirty pages that a
        // partial flush needs, so only a whole flush puts them on disk
        for (int q = 0; q < 8; q++) {
            for (int i = 0; i < 3; i++) {
                MessageToStore m = msg("T", "m" + q + "-" + i);
                m.queueId = q;
                assertThat(s.put(m, true).get().status()).isEqualTo(PutStatus.PUT_OK);
            }
        }
        Thread.sleep(200); // several flush rounds and checkpoints
        s.abandon();
        disk.powerLoss(root);
        MessageStore again = new MessageStore(c, System::currentTimeMillis, p -> 0.1, disk);
        again.start();
        open.add(again);
        for (int q = 0; q < 8; q++) {
            assertThat(again.maxOffset("T", q)).as("queue %d", q).isEqualTo(3);
        }
    }
}
