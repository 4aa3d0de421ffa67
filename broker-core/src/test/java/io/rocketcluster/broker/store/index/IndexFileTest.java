package io.rocketcluster.broker.store.index;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IndexFileTest {
    private static final long T0 = 1_700_000_000_000L;
    @TempDir
    Path dir;
    private final List<IndexFile> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(IndexFile::close);
    }

    private IndexFile create(String name, int slots, int entries) {
        IndexFile f = IndexFile.create(dir.resolve(name), slots, entries);
        open.add(f);
        return f;
    }

    private IndexFile reopen(String name, int slots, int entries) {
        IndexFile f = IndexFile.open(dir.resolve(name), slots, entries);
        open.add(f);
        return f;
    }

    private static List<Long> select(IndexFile f, int hash, long begin, long end) {
        List<Long> out = new ArrayList<>();
        f.select(out, hash, 64, begin, end);
        return out;
    }

    @Test
    void keyHashIsAbsoluteStringHashWithZeroOnOverflow() {
        assertThat(IndexFile.keyHash("T#k1")).isEqualTo(Math.abs("T#k1".hashCode()));
        assertThat("polygenelubricants".hashCode()).isEqualTo(Integer.MIN_VALUE);
        assertThat(IndexFile.keyHash("polygenelubricants")).isZero();
    }

    @Test
    void smallFileHasRocketMqLayoutByteForByte() throws Exception {
        // 4 slots, 5 entries: 40 + 16 + 100 bytes
        IndexFile f = create("layout", 4, 5);
        assertThat(f.put(List.of(9, 6), 1000, T0)).isEqualTo(2);   // slots 1 and 2
        assertThat(f.put(List.of(13), 2000, T0 + 2500)).isEqualTo(1);   // slot 1 again, chains to entry 1
        f.close();
        open.remove(f);

        byte[] bytes = Files.readAllBytes(dir.resolve("layout"));
        assertThat(bytes).hasSize(156);
        assertThat(IndexFile.fileSize(4, 5)).isEqualTo(156);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        // header
        assertThat(b.getLong(0)).isEqualTo(T0);            // beginTimestamp
        assertThat(b.getLong(8)).isEqualTo(T0 + 2500);     // endTimestamp
        assertThat(b.getLong(16)).isEqualTo(1000);         // beginPhyOffset
        assertThat(b.getLong(24)).isEqualTo(2000);         // endPhyOffset
        assertThat(b.getInt(32)).isEqualTo(2);             // hashSlotCount: slots 1 and 2
        assertThat(b.getInt(36)).isEqualTo(4);             // indexCount: next entry number
        // slots at 40 + (hash % 4) * 4
        assertThat(b.getInt(40)).isZero();
        assertThat(b.getInt(44)).isEqualTo(3);             // slot 1: hashes 9 and 13, newest entry 3
        assertThat(b.getInt(48)).isEqualTo(2);             // slot 2: hash 6
        assertThat(b.getInt(52)).isZero();
        // entry 0 (at 56) is never used
        for (int i = 56; i < 76; i++) {
            assertThat(bytes[i]).isZero();
        }
        // entry n at 40 + 4*4 + n*20: keyHash, phyOffset, timeDiff (s), prevIndex
        assertThat(entry(b, 1)).containsExactly(9L, 1000L, 0L, 0L);
        assertThat(entry(b, 2)).containsExactly(6L, 1000L, 0L, 0L);
        assertThat(entry(b, 3)).containsExactly(13L, 2000L, 2L, 1L);
        for (int i = 56 + 4 * 20; i < 156; i++) {
            assertThat(bytes[i]).isZero();
        }
        String hex = hex(bytes, 0, 40);
        assertThat(hex).isEqualTo("0000018bcfe56800" + "0000018bcfe571c4" + "00000000000003e8"
                + "00000000000007d0" + "00000002" + "00000004");
    }

    private static long[] entry(ByteBuffer b, int n) {
        int at = 56 + n * 20;
        return new long[]{b.getInt(at), b.getLong(at + 4), b.getInt(at + 12), b.getInt(at + 16)};
    }

    private static String hex(byte[] bytes, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(String.format("%02x", bytes[i]));
        }
        return sb.toString();
    }

    @Test
    void newFileStartsWithIndexCountOne() throws Exception {
        IndexFile f = create("empty", 8, 8);
        assertThat(f.indexCount()).isEqualTo(1);
        assertThat(f.isEmpty()).isTrue();
        assertThat(f.remaining()).isEqualTo(7);
        assertThat(f.capacity()).isEqualTo(7);
        f.flush();
        assertThat(ByteBuffer.wrap(Files.readAllBytes(dir.resolve("empty"))).getInt(36)).isEqualTo(1);
    }

    @Test
    void collidingHashesShareAChainAndOnlyTheExactHashMatches() {
        IndexFile f = create("chains", 4, 32);
        // "Aa" and "BB" have the same String hash: the index cannot tell them apart
        int aa = IndexFile.keyHash("T#Aa");
        int bb = IndexFile.keyHash("T#BB");
        assertThat(aa).isEqualTo(bb);
        f.put(List.of(aa), 100, T0);
        f.put(List.of(aa + 4), 200, T0);       // same slot, different hash
        f.put(List.of(bb), 300, T0);
        f.put(List.of(aa + 8), 400, T0);       // same slot again
        f.put(List.of(aa + 1), 500, T0);       // another slot
        assertThat(select(f, aa, 0, Long.MAX_VALUE)).containsExactly(300L, 100L);   // newest first
        assertThat(select(f, aa + 4, 0, Long.MAX_VALUE)).containsExactly(200L);
        assertThat(select(f, aa + 8, 0, Long.MAX_VALUE)).containsExactly(400L);
        assertThat(select(f, aa + 1, 0, Long.MAX_VALUE)).containsExactly(500L);
        assertThat(select(f, aa + 2, 0, Long.MAX_VALUE)).isEmpty();
        assertThat(f.hashSlotCount()).isEqualTo(2);

        List<Long> limited = new ArrayList<>();
        f.select(limited, aa, 1, 0, Long.MAX_VALUE);
        assertThat(limited).containsExactly(300L);
    }

    @Test
    void timeRangeMatchesWholeSecondsFromTheFilesBeginTimestamp() {
        IndexFile f = create("time", 16, 32);
        int h = 7;
        f.put(List.of(h), 100, T0);            // diff 0
        f.put(List.of(h), 200, T0 + 2_400);    // diff 2 -> read back as T0 + 2000
        f.put(List.of(h), 300, T0 + 5_999);    // diff 5 -> T0 + 5000
        assertThat(select(f, h, 0, Long.MAX_VALUE)).containsExactly(300L, 200L, 100L);
        assertThat(select(f, h, T0, T0)).containsExactly(100L);
        assertThat(select(f, h, T0 + 1, T0 + 4_999)).containsExactly(200L);
        assertThat(select(f, h, T0 + 2_000, T0 + 5_000)).containsExactly(300L, 200L);
        assertThat(select(f, h, T0 + 5_001, Long.MAX_VALUE)).isEmpty();
        assertThat(select(f, h, 0, T0 - 1)).isEmpty();

        assertThat(f.overlaps(0, T0 - 1)).isFalse();
        assertThat(f.overlaps(0, T0)).isTrue();
        assertThat(f.overlaps(T0 + 1000, T0 + 2000)).isTrue();
        assertThat(f.overlaps(0, Long.MAX_VALUE)).isTrue();
        assertThat(f.overlaps(T0 + 6_000, Long.MAX_VALUE)).isFalse();
    }

    @Test
    void refusesEntriesOnceIndexCountReachesIndexNum() {
        IndexFile f = create("full", 4, 4);
        assertThat(f.put(List.of(1, 2), 100, T0)).isEqualTo(2);
        assertThat(f.put(List.of(3, 4), 200, T0)).isEqualTo(1);   // only one left: entries 1..3
        assertThat(f.indexCount()).isEqualTo(4);
        assertThat(f.remaining()).isZero();
        assertThat(f.put(List.of(5), 300, T0)).isZero();
        assertThat(f.endPhyOffset()).isEqualTo(200);
        assertThat(select(f, 3, 0, Long.MAX_VALUE)).containsExactly(200L);
    }

    @Test
    void reopensWithTheSameContentAfterClose() {
        IndexFile f = create("reload", 8, 32);
        for (int i = 1; i <= 10; i++) {
            f.put(List.of(i % 3, 100 + i), i * 100L, T0 + i * 1000L);
        }
        f.close();
        open.remove(f);

        IndexFile again = reopen("reload", 8, 32);
        assertThat(again.indexCount()).isEqualTo(21);
        assertThat(again.beginTimestamp()).isEqualTo(T0 + 1000);
        assertThat(again.endTimestamp()).isEqualTo(T0 + 10_000);
        assertThat(again.beginPhyOffset()).isEqualTo(100);
        assertThat(again.endPhyOffset()).isEqualTo(1000);
        assertThat(select(again, 1, 0, Long.MAX_VALUE)).containsExactly(1000L, 700L, 400L, 100L);
        assertThat(select(again, 105, 0, Long.MAX_VALUE)).containsExactly(500L);
        // and it keeps chaining where it stopped
        again.put(List.of(1), 1100, T0 + 11_000);
        assertThat(select(again, 1, T0 + 7_000, Long.MAX_VALUE)).containsExactly(1100L, 1000L, 700L);
    }

    @Test
    void refusesAFileOfAnotherSize() {
        IndexFile f = create("sized", 8, 16);
        f.close();
        open.remove(f);
        assertThatThrownBy(() -> IndexFile.open(dir.resolve("sized"), 8, 32))
                .hasMessageContaining("maxIndexNum=32");
        assertThatThrownBy(() -> IndexFile.create(dir.resolve("x"), 0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IndexFile.create(dir.resolve("x"), 10, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void truncateKeepsEntriesBelowAnOffsetAndRebuildsSlotsAndHeader() {
        IndexFile f = create("trunc", 4, 32);
        for (int i = 1; i <= 10; i++) {
            f.put(List.of(i % 4, 4 + i % 2), i * 100L, T0 + i * 1000L);
        }
        int kept = f.truncate(650);   // records 100..600 stay
        assertThat(kept).isEqualTo(12);
        assertThat(f.indexCount()).isEqualTo(13);
        assertThat(f.endPhyOffset()).isEqualTo(600);
        assertThat(f.beginPhyOffset()).isEqualTo(100);
        assertThat(f.endTimestamp()).isBetween(T0 + 6000, T0 + 6999);
        assertThat(select(f, 1, 0, Long.MAX_VALUE)).containsExactly(500L, 100L);
        assertThat(select(f, 5, 0, Long.MAX_VALUE)).containsExactly(500L, 300L, 100L);
        assertThat(select(f, 2, 0, Long.MAX_VALUE)).containsExactly(600L, 200L);
        // appending goes on from the truncation point, with fresh chains
        f.put(List.of(1), 700, T0 + 7000);
        assertThat(select(f, 1, 0, Long.MAX_VALUE)).containsExactly(700L, 500L, 100L);
        assertThat(f.truncate(100)).isZero();
        assertThat(f.isEmpty()).isTrue();
        assertThat(select(f, 1, 0, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void truncateStopsAtEntriesThatNeverReachedTheDisk() throws Exception {
        IndexFile f = create("torn", 4, 32);
        for (int i = 1; i <= 6; i++) {
            f.put(List.of(i), i * 100L, T0);
        }
        f.close();
        open.remove(f);
        // entries 4..6 lost (zeros) while header and slots, on other pages, say they exist
        try (var ch = java.nio.channels.FileChannel.open(dir.resolve("torn"), java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(3 * 20), 56 + 4 * 20);
        }
        IndexFile again = reopen("torn", 4, 32);
        assertThat(again.truncate(Long.MAX_VALUE)).isEqualTo(3);
        assertThat(again.endPhyOffset()).isEqualTo(300);
        assertThat(select(again, 1, 0, Long.MAX_VALUE)).containsExactly(100L);
        assertThat(select(again, 4, 0, Long.MAX_VALUE)).isEmpty();
        assertThat(select(again, 5, 0, Long.MAX_VALUE)).isEmpty();   // slot 1 held entry 5, now only entry 1
        assertThat(again.hashSlotCount()).isEqualTo(3);
    }

    @Test
    void aClosedFileAnswersAsEmpty() {
        IndexFile f = create("closed", 4, 8);
        f.put(List.of(1), 100, T0);
        f.close();
        open.remove(f);
        assertThat(select(f, 1, 0, Long.MAX_VALUE)).isEmpty();
        assertThat(f.overlaps(0, Long.MAX_VALUE)).isFalse();
        assertThat(f.endPhyOffset()).isZero();
    }

    @Test
    void aHashChainMadeLongOnPurposeIsWalkedOnlyUpToItsBoundInChunks() {
        // one slot: every key collides; the wanted entry is the oldest of 5,000
        IndexFile f = create("chain", 1, 5_001);
        assertThat(f.put(List.of(42), 7, T0)).isEqualTo(1);
        for (int i = 1; i < 5_000; i++) {
            assertThat(f.put(List.of(1_000 + i), 7 + i, T0)).isEqualTo(1);
        }
        List<Long> bounded = new ArrayList<>();
        assertThat(f.select(bounded, 42, 64, 0, Long.MAX_VALUE, 2_500)).isEqualTo(2_500);
        assertThat(bounded).isEmpty();

        List<Long> whole = new ArrayList<>();
        assertThat(f.select(whole, 42, 64, 0, Long.MAX_VALUE, 10_000)).isEqualTo(5_000);
        assertThat(whole).containsExactly(7L);
    }
}
