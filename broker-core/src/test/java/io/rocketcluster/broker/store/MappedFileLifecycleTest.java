package io.rocketcluster.broker.store;

import io.rocketcluster.broker.config.MessageStoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

import static io.rocketcluster.broker.store.StoreCrashRegressionTest.msg;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deleting topics, truncating and retention never unmap memory that a reader holds. Before
 * reference counting each of them unmapped at once (retention after
 * destroyMapedFileIntervalForcibly, which may be 0) and a concurrent pull crashed the JVM.
 */
class MappedFileLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void aDestroyedFileStaysMappedUntilTheLastHolderReleasesIt() throws Exception {
        MappedFile f = new MappedFile(dir.resolve(MappedFile.fileName(0)), 4096);
        f.append(ByteBuffer.wrap("hello".getBytes()));
        SelectedRegion held = f.select(0, 5);
        f.destroy();
        assertThat(dir.resolve(MappedFile.fileName(0))).doesNotExist();
        assertThat(f.hold()).as("no new holds after destroy").isFalse();
        assertThat(f.select(0, 5)).isNull();
        assertThat(f.copy(0, 5)).isNull();
        byte[] read = new byte[5];
        held.buffer().get(0, read);
        assertThat(new String(read)).isEqualTo("hello");
        assertThat(f.references()).isEqualTo(1);
        held.release();
        held.release(); // idempotent
        assertThat(f.references()).isZero();
    }

    @Test
    void deletingTopicsAndRetentionUnderConcurrentProduceAndConsumeNeverTouchUnmappedMemory() throws Exception {
        AtomicLong clock = new AtomicLong(System.currentTimeMillis());
        MessageStoreConfig c = new MessageStoreConfig();
        c.setStorePathRootDir(dir.toString());
        c.setMappedFileSizeCommitLog(32 * 1024);
        c.setMappedFileSizeConsumeQueue(50 * ConsumeQueue.ENTRY_SIZE);
        c.setDestroyMapedFileIntervalForcibly(0);
        c.setFileReservedTime(1);
        c.setDeleteWhen("00;01;02;03;04;05;06;07;08;09;10;11;12;13;14;15;16;17;18;19;20;21;22;23");
        c.setCleanResourceInterval(3_600_000);
        MessageStore s = new MessageStore(c, clock::get, p -> 0.1);
        s.start();
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicInteger pulled = new AtomicInteger();
        AtomicInteger deletedTopics = new AtomicInteger();
        AtomicInteger retentionPasses = new AtomicInteger();
        ConcurrentLinkedQueue<String> doomed = new ConcurrentLinkedQueue<>();
        List<Thread> threads = List.of(
                worker("produce", stop, failures, () -> {
                    for (int q = 0; q < 4; q++) {
                        MessageToStore m = msg("Keep", "k".repeat(300));
                        m.queueId = q;
                        assertThat(s.put(m, false).get().status()).isEqualTo(PutStatus.PUT_OK);
                    }
                    String topic = "Doomed" + (deletedTopics.get() % 8);
                    s.put(msg(topic, "d".repeat(200)), false).get();
                    doomed.add(topic);
                }),
                worker("consume-keep", stop, failures, () -> {
                    for (int q = 0; q < 4; q++) {
                        pullAll(s, "Keep", q, Set.of(GetStatus.FOUND, GetStatus.NO_MESSAGE_IN_QUEUE,
                                GetStatus.OFFSET_OVERFLOW_ONE, GetStatus.MESSAGE_WAS_REMOVING, GetStatus.OFFSET_TOO_SMALL, GetStatus.NO_MATCHED_MESSAGE,
                                GetStatus.NO_MATCHED_LOGIC_QUEUE, GetStatus.OFFSET_FOUND_NULL), pulled);
                    }
                }),
                worker("consume-doomed", stop, failures, () -> {
                    for (int i = 0; i < 8; i++) {
                        pullAll(s, "Doomed" + i, 0, null, pulled);
                    }
                }),
                worker("delete-topics", stop, failures, () -> {
                    String t = doomed.poll();
                    if (t != null) {
                        s.deleteTopic(t);
                        deletedTopics.incrementAndGet();
                    }
                }),
                worker("retention", stop, failures, () -> {
                    clock.addAndGet(2 * 3_600_000L);
                    s.runRetention();
                    retentionPasses.incrementAndGet();
                    Thread.sleep(5);
                }),
                worker("ha-reader", stop, failures, () -> {
                    long from = s.commitLogMinOffset();
                    try (SelectedRegion r = s.selectCommitLog(from, 64 * 1024)) {
                        if (r != null) {
                            touch(r.buffer());
                        }
                    }
                }));
        threads.forEach(Thread::start);
        Thread.sleep(Long.getLong("lifecycle.stress.millis", 4000));
        stop.set(true);
        for (Thread t : threads) {
            t.join(10_000);
        }
        clock.addAndGet(2 * 3_600_000L);
        while (s.runRetention() > 0) {
            clock.addAndGet(2 * 3_600_000L);
        }
        s.shutdown();
        assertThat(failures).isEmpty();
        assertThat(pulled.get()).isPositive();
        assertThat(deletedTopics.get()).isGreaterThan(10);
        assertThat(retentionPasses.get()).isGreaterThan(10);
        try (var files = Files.list(dir.resolve("commitlog"))) {
            assertThat(files.count()).as("retention deleted every commitlog file but the active one").isEqualTo(1);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static Thread worker(String name, AtomicBoolean stop, List<Throwable> failures, Step step) {
        Thread t = new Thread(() -> {
            while (!stop.get()) {
                try {
                    step.run();
                } catch (Throwable e) {
                    failures.add(new AssertionError(name + ": " + e, e));
                    return;
                }
            }
        }, name);
        t.setDaemon(true);
        return t;
    }

    /** Pulls a queue to its end, reading every byte of every record (a use after unmap would crash). */
    private static void pullAll(MessageStore s, String topic, int q, Set<GetStatus> allowed, AtomicInteger pulled) {
        long offset = s.minOffset(topic, q);
        for (int i = 0; i < 20; i++) {
            GetResult r = s.get(topic, q, offset, 32, MessageFilter.ALL);
            try {
                if (allowed != null) {
                    assertThat(r.status()).as("pull status of %s-%d", topic, q).isIn(allowed);
                }
                for (ByteBuffer b : r.records()) {
                    touch(b);
                    StoredRecord rec = StoredRecord.parse(b, b.position(), b.limit(), true);
                    assertThat(rec.topic()).isEqualTo(topic);
                    pulled.incrementAndGet();
                }
            } finally {
                r.release();
            }
            if (r.nextBeginOffset() <= offset) {
                return;
            }
            offset = r.nextBeginOffset();
        }
    }

    private static void touch(ByteBuffer b) {
        CRC32 crc = new CRC32();
        crc.update(b.duplicate());
    }
}
