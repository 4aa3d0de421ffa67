package io.rocketcluster.broker.store;

import io.rocketcluster.broker.config.FlushDiskType;
import io.rocketcluster.broker.config.MessageStoreConfig;
import io.rocketcluster.broker.store.index.IndexQueryResult;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of put, flush, process crash, power loss, clean restart, retention and
 * truncation against an in-memory model of what was appended. After every recovery:
 * <ul>
 *   <li>process crash (the page cache survives): every appended message is there;</li>
 *   <li>power loss (only what was forced survives, {@link SimulatedDisk}): what is there is a prefix
 *       of the log in append order that holds every message acknowledged as durable (SYNC_FLUSH: every
 *       PUT_OK; ASYNC_FLUSH: every message below the flushed offset at the cut);</li>
 *   <li>consume queues, commitlog and index agree: each queue lists exactly the model's messages of
 *       that queue, in order, at consecutive queue offsets, each entry pointing at a record of that
 *       topic, queue and queue offset, and the index finds every message by its key.</li>
 * </ul>
 * Tries: junit-platform.properties sets a CI-sized default; run longer by hand with
 * {@code -Djqwik.tries.default=2000}.
 */
class CrashRecoveryProperties {
    private static final String[] TOPICS = {"A", "B"};
    private static final long HOUR = 3_600_000L;

    sealed interface Action permits Put, Pause, Crash, PowerLoss, Restart, Retention, Truncate {
    }

    record Put(int topic, int queue, int bodySize) implements Action {
    }

    record Pause(int millis) implements Action {
    }

    record Crash() implements Action {
    }

    record PowerLoss() implements Action {
    }

    record Restart() implements Action {
    }

    record Retention() implements Action {
    }

    /** Cut the log before the message at this share of the model (0..99 %), as a slave would. */
    record Truncate(int percent) implements Action {
    }

    /** One appended message as the model knows it. */
    record Appended(String id, String topic, int queue, long phys, int size, boolean acked) {
    }

    private Path root;
    private SimulatedDisk disk;
    private MessageStore store;
    private final AtomicLong clock = new AtomicLong();
    private final List<Appended> model = new ArrayList<>();
    private int next;

    @BeforeTry
    void fresh() throws IOException {
        root = Files.createTempDirectory("crash-props");
        disk = new SimulatedDisk();
        clock.set(System.currentTimeMillis());
        model.clear();
        next = 0;
    }

    @AfterTry
    void cleanUp() throws IOException {
        if (store != null) {
            store.abandon();
            store = null;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Property
    void nothingDurableIsLostAndTheStoreAgrees(@ForAll boolean syncFlush, @ForAll("actions") List<Action> actions)
            throws Exception {
        store = open(syncFlush);
        for (Action a : actions) {
            apply(a, syncFlush);
        }
        apply(new PowerLoss(), syncFlush);
    }

    /** A sequence the property found (shrunk): see {@link StoreCrashRegressionTest}. */
    @net.jqwik.api.Example
    void truncateToEmptyThenRestartThenPowerLoss() throws Exception {
        List<Action> actions = new ArrayList<>(List.of(new Put(0, 0, 0), new Retention(), new Truncate(0)));
        for (int i = 0; i < 16; i++) {
            actions.add(new Put(0, 0, 0));
        }
        actions.addAll(List.of(new Restart(), new Put(0, 0, 0), new Put(0, 1, 0)));
        nothingDurableIsLostAndTheStoreAgrees(true, actions);
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Action> put = net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(0, 1), Arbitraries.integers().between(0, 700)).as(Put::new);
        Arbitrary<Action> action = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, put),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 40).map(Pause::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Crash())),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new PowerLoss())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Restart())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Retention())),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 99).map(Truncate::new)));
        return action.list().ofMinSize(1).ofMaxSize(60);
    }

    private MessageStore open(boolean syncFlush) {
        MessageStoreConfig c = new MessageStoreConfig();
        c.setStorePathRootDir(root.toString());
        c.setMappedFileSizeCommitLog(16 * 1024);
        c.setMappedFileSizeConsumeQueue(40 * ConsumeQueue.ENTRY_SIZE);
        c.setMaxMessageSize(4 * 1024);
        c.setFlushDiskType(syncFlush ? FlushDiskType.SYNC_FLUSH : FlushDiskType.ASYNC_FLUSH);
        c.setFlushIntervalCommitLog(5);
        c.setFlushCommitLogLeastPages(1);
        c.setFlushIntervalConsumeQueue(5);
        c.setFlushConsumeQueueThoroughInterval(15);
        c.setMaxHashSlotNum(64);
        c.setMaxIndexNum(256);
        c.setFileReservedTime(1);
        c.setDeleteWhen("00;01;02;03;04;05;06;07;08;09;10;11;12;13;14;15;16;17;18;19;20;21;22;23");
        c.setCleanResourceInterval(3_600_000);
        MessageStore s = new MessageStore(c, clock::get, p -> 0.1, disk);
        s.start();
        return s;
    }

    private void apply(Action a, boolean syncFlush) throws Exception {
        if (a instanceof Put p) {
            put(p);
        } else if (a instanceof Pause p) {
            Thread.sleep(p.millis());
        } else if (a instanceof Crash) {
            store.abandon();
            restartAndVerify(syncFlush, model.size(), model.size());
        } else if (a instanceof PowerLoss) {
            long flushed = store.flushedOffset();
            int durable = (int) model.stream().filter(m -> m.acked() && syncFlush
                    || m.phys() + m.size() <= flushed).count();
            store.abandon();
            disk.powerLoss(root);
            restartAndVerify(syncFlush, durable, model.size());
        } else if (a instanceof Restart) {
            store.shutdown();
            restartAndVerify(syncFlush, model.size(), model.size());
        } else if (a instanceof Retention) {
            clock.addAndGet(2 * HOUR);
            store.runRetention();
            long min = store.commitLogMinOffset();
            model.removeIf(m -> m.phys() < min);
            verify();
        } else if (a instanceof Truncate t && !model.isEmpty()) {
            List<Appended> inLogOrder = model.stream().sorted(Comparator.comparingLong(Appended::phys)).toList();
            Appended first = inLogOrder.get(inLogOrder.size() * t.percent() / 100);
            store.truncateCommitLog(first.phys());
            model.removeIf(m -> m.phys() >= first.phys());
            verify();
        }
    }

    private void put(Put p) throws Exception {
        String id = "m" + (next++);
        MessageToStore m = new MessageToStore();
        m.topic = TOPICS[p.topic()];
        m.queueId = p.queue();
        byte[] body = (id + ":" + "x".repeat(p.bodySize())).getBytes(StandardCharsets.UTF_8);
        m.body = body;
        m.properties = MessageProperties.KEYS + MessageProperties.NAME_VALUE_SEPARATOR + id
                + MessageProperties.PROPERTY_SEPARATOR;
        m.bornTimestamp = clock.get();
        m.bornHost = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5555);
        m.storeHost = new InetSocketAddress(InetAddress.getLoopbackAddress(), 10911);
        PutResult r = store.put(m, true).get();
        if (r.isStored()) {
            model.add(new Appended(id, m.topic, m.queueId, r.wroteOffset(), r.wroteBytes(),
                    r.status() == PutStatus.PUT_OK));
        }
    }

    /**
     * Reopens the store and checks that what survived is the model's first k messages in log order,
     * with {@code atLeast <= k <= atMost}; the model becomes that prefix.
     */
    private void restartAndVerify(boolean syncFlush, int atLeast, int atMost) {
        store = open(syncFlush);
        assertThat(store.dispatchBehindBytes()).as("recovery dispatched everything").isZero();
        List<Appended> inLogOrder = model.stream().sorted(Comparator.comparingLong(Appended::phys)).toList();
        List<String> survivors = survivingIds();
        int k = survivors.size();
        assertThat(k).as("messages after recovery (durable: %d, appended: %d), in log order %s, found %s", atLeast,
                atMost, inLogOrder.stream().map(Appended::id).toList(), survivors).isBetween(atLeast, atMost);
        assertThat(survivors).as("survivors are a prefix of the log")
                .containsExactlyElementsOf(inLogOrder.subList(0, k).stream().map(Appended::id).toList());
        model.retainAll(inLogOrder.subList(0, k));
        verify();
    }

    /** Ids of every message the consume queues list, in commitlog order. */
    private List<String> survivingIds() {
        List<long[]> found = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String topic : TOPICS) {
            for (int q = 0; q < 2; q++) {
                for (ByteBuffer r : records(topic, q)) {
                    StoredRecord rec = StoredRecord.parse(r, 0, r.limit(), true);
                    found.add(new long[]{rec.physicalOffset(), ids.size()});
                    ids.add(MessageProperties.get(rec.properties(), MessageProperties.KEYS));
                }
            }
        }
        found.sort(Comparator.comparingLong(a -> a[0]));
        return found.stream().map(a -> ids.get((int) a[1])).toList();
    }

    /** Queues, commitlog and index agree with the model (once the dispatcher caught up). */
    private void verify() {
        org.awaitility.Awaitility.await("dispatch catches up").atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(1)).until(() -> store.dispatchBehindBytes() == 0);
        for (String topic : TOPICS) {
            for (int q = 0; q < 2; q++) {
                final int queue = q;
                List<String> expected = model.stream().filter(m -> m.topic().equals(topic) && m.queue() == queue)
                        .sorted(Comparator.comparingLong(Appended::phys)).map(Appended::id).toList();
                List<ByteBuffer> records = records(topic, q);
                List<String> actual = new ArrayList<>();
                long queueOffset = store.maxOffset(topic, q) - records.size();
                for (ByteBuffer r : records) {
                    StoredRecord rec = StoredRecord.parse(r, 0, r.limit(), true);
                    assertThat(rec.isMessage()).as("entry points at a whole record").isTrue();
                    assertThat(rec.topic()).isEqualTo(topic);
                    assertThat(rec.queueId()).isEqualTo(q);
                    assertThat(rec.queueOffset()).as("queue offset of %s", topic + "-" + q).isEqualTo(queueOffset++);
                    actual.add(MessageProperties.get(rec.properties(), MessageProperties.KEYS));
                }
                assertThat(actual).as("queue %s-%d", topic, q).containsExactlyElementsOf(expected);
            }
        }
        for (Appended m : model) {
            IndexQueryResult found = store.queryIndex(m.topic(), m.id(), 64, 0, Long.MAX_VALUE);
            assertThat(found.offsets()).as("index finds %s", m.id()).contains(m.phys());
        }
    }

    /** Every record of a queue from its min offset, read through the consume queue. */
    private List<ByteBuffer> records(String topic, int queue) {
        List<ByteBuffer> out = new ArrayList<>();
        long offset = store.minOffset(topic, queue);
        long max = store.maxOffset(topic, queue);
        while (offset < max) {
            GetResult r = store.get(topic, queue, offset, 32, MessageFilter.ALL);
            try {
                r.regions().forEach(region -> out.add(region.copy()));
            } finally {
                r.release();
            }
            if (r.nextBeginOffset() <= offset) {
                break;
            }
            offset = r.nextBeginOffset();
        }
        return out;
    }
}
