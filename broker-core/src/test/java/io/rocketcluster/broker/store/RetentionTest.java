package io.rocketcluster.broker.store;

import io.rocketcluster.broker.config.MessageStoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Retention and the disk guard, with injected time and disk usage. */
class RetentionTest {
    private static final int FILE_SIZE = 64 * 1024;
    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(System.currentTimeMillis());
    private final List<MessageStore> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(MessageStore::shutdown);
    }

    private MessageStore store(String deleteWhen, DiskUsage usage) {
        MessageStoreConfig c = new MessageStoreConfig();
        c.setStorePathRootDir(dir.toString());
        c.setMappedFileSizeCommitLog(FILE_SIZE);
        c.setMappedFileSizeConsumeQueue(10 * ConsumeQueue.ENTRY_SIZE);
        c.setMaxMessageSize(8 * 1024);
        c.setFileReservedTime(1);
        c.setDeleteWhen(deleteWhen);
        c.setDiskMaxUsedSpaceRatio(90);
        c.setCleanResourceInterval(3_600_000); // passes are run by the test
        c.setDestroyMapedFileIntervalForcibly(0);
        MessageStore s = new MessageStore(c, clock::get, usage);
        s.start();
        open.add(s);
        return s;
    }

    private String hour(long millis) {
        return String.format("%02d", Instant.ofEpochMilli(millis).atZone(ZoneId.systemDefault()).getHour());
    }

    private int commitLogFiles() {
        return Objects.requireNonNull(dir.resolve("commitlog").toFile().list()).length;
    }

    private static MessageToStore msg(int i) throws Exception {
        MessageToStore m = new MessageToStore();
        m.topic = "T";
        m.body = ("m" + i + "-" + "x".repeat(3000)).getBytes(StandardCharsets.UTF_8);
        m.bornTimestamp = System.currentTimeMillis();
        m.bornHost = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5555);
        m.storeHost = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 10911);
        return m;
    }

    private void fill(MessageStore s, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            assertThat(s.put(msg(i), true).join().status()).isEqualTo(PutStatus.PUT_OK);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> s.maxOffset("T", 0) == n);
    }

    @Test
    void expiredFilesGoAtTheDeleteHourAndConsumersAreMovedForward() throws Exception {
        long later = clock.get() + Duration.ofHours(2).toMillis();
        MessageStore s = store(hour(later), p -> 0.10);
        fill(s, 60);
        int before = commitLogFiles();
        assertThat(before).isGreaterThanOrEqualTo(3);

        assertThat(s.runRetention()).as("not expired yet").isZero();
        clock.set(later);
        assertThat(s.runRetention()).isEqualTo(before - 1);
        assertThat(commitLogFiles()).isEqualTo(1);

        long min = s.minOffset("T", 0);
        assertThat(min).isPositive();
        assertThat(s.commitLogMinOffset()).isPositive();
        GetResult old = s.get("T", 0, 0, 32, MessageFilter.ALL);
        assertThat(old.status()).isEqualTo(GetStatus.OFFSET_TOO_SMALL);
        assertThat(old.nextBeginOffset()).isEqualTo(min);
        GetResult rest = s.get("T", 0, min, 100, MessageFilter.ALL);
        assertThat(rest.status()).isEqualTo(GetStatus.FOUND);
        assertThat(rest.records()).isNotEmpty();
        // consume queue files (10 entries each) wholly below the commitlog are gone too
        File[] cqFiles = dir.resolve("consumequeue/T/0").toFile().listFiles();
        assertThat(cqFiles).hasSize((int) (6 - min / 10));
    }

    @Test
    void outsideTheDeleteHourNothingGoesWithoutDiskPressure() throws Exception {
        long later = clock.get() + Duration.ofHours(2).toMillis();
        MessageStore s = store(hour(later + Duration.ofHours(3).toMillis()), p -> 0.10);
        fill(s, 60);
        clock.set(later);
        assertThat(s.runRetention()).isZero();
    }

    @Test
    void underDiskPressureExpiredFilesGoAtAnyHour() throws Exception {
        long later = clock.get() + Duration.ofHours(2).toMillis();
        // each commitlog file costs 15% of the disk
        MessageStore s = store(hour(later + Duration.ofHours(3).toMillis()), p -> 0.5 + 0.15 * commitLogFiles());
        fill(s, 60);
        clock.set(later);
        assertThat(s.runRetention()).isPositive();
        assertThat(s.put(msg(99), true).join().status()).isEqualTo(PutStatus.PUT_OK);
    }

    @Test
    void aFullDiskRefusesWritesWithoutDamageAndWritesResumeWhenSpaceReturns() throws Exception {
        AtomicLong usedPercent = new AtomicLong(50);
        MessageStore s = store("04", p -> usedPercent.get() / 100.0);
        fill(s, 10);
        long end = s.commitLogMaxOffset();

        usedPercent.set(95); // nothing is expired, so nothing can be freed
        s.runRetention();
        PutResult refused = s.put(msg(10), true).join();
        assertThat(refused.status()).isEqualTo(PutStatus.DISK_FULL);
        assertThat(s.diskFullReason()).contains("95%").contains("diskMaxUsedSpaceRatio 90%");
        assertThat(s.commitLogMaxOffset()).isEqualTo(end);

        usedPercent.set(60);
        await().atMost(Duration.ofSeconds(5)).until(() -> s.put(msg(11), true).join().status() == PutStatus.PUT_OK);
        await().atMost(Duration.ofSeconds(5)).until(() -> s.maxOffset("T", 0) == 11);

        s.shutdown();
        open.remove(s);
        MessageStore reopened = store("04", p -> 0.5);
        assertThat(reopened.maxOffset("T", 0)).isEqualTo(11);
        GetResult first = reopened.get("T", 0, 0, 32, MessageFilter.ALL); // one consume-queue file: 10 entries
        GetResult second = reopened.get("T", 0, first.nextBeginOffset(), 32, MessageFilter.ALL);
        assertThat(first.messageCount() + second.messageCount()).isEqualTo(11);
    }

    /** The put path measures the disk itself: a delayed cleaning pass must not let writes fill it up. */
    @Test
    void writesAreRefusedOnceTheDiskIsOverTheRatioEvenBeforeACleaningPass() throws Exception {
        AtomicLong usedPercent = new AtomicLong(50);
        MessageStore s = store("04", p -> usedPercent.get() / 100.0);
        fill(s, 5);
        usedPercent.set(95); // no runRetention() here
        await().atMost(Duration.ofSeconds(5)).until(() -> s.put(msg(50), true).join().status() == PutStatus.DISK_FULL);
        long end = s.commitLogMaxOffset();
        assertThat(s.put(msg(51), true).join().status()).isEqualTo(PutStatus.DISK_FULL);
        assertThat(s.commitLogMaxOffset()).isEqualTo(end);
    }
}
