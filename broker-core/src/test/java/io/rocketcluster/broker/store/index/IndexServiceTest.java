package io.rocketcluster.broker.store.index;

import io.rocketcluster.broker.store.MessageProperties;
import io.rocketcluster.broker.store.MessageRecord;
import io.rocketcluster.broker.store.StoredRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class IndexServiceTest {
    private static final long T0 = 1_700_000_000_000L;
    /** Record i lives at commitlog offset 1000 * i (+1000, so that none is at 0). */
    private static final long STEP = 1000;
    @TempDir
    Path dir;
    private final List<IndexService> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(IndexService::close);
    }

    private IndexService service(int slots, int entries) {
        IndexService s = new IndexService(dir.resolve("index"), slots, entries, () -> T0);
        s.load();
        open.add(s);
        return s;
    }

    private void close(IndexService s) {
        s.close();
        open.remove(s);
    }

    private static long phy(int i) {
        return STEP * (i + 1);
    }

    /** Record i of topic T: UNIQ_KEY U{i}, KEYS "k{i} shared", stored at T0 + i seconds. */
    private static StoredRecord rec(int i) {
        return rec("T", i, "U" + i, "k" + i + " shared", 0);
    }

    private static StoredRecord rec(String topic, int i, String uniq, String keys, int sysFlag) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(MessageProperties.TAGS, "tag");
        props.put(MessageProperties.KEYS, keys);
        props.put(MessageProperties.UNIQ_KEY, uniq);
        return new StoredRecord(200, topic, 0, i, phy(i), sysFlag, T0 + i * 1000L, MessageProperties.format(props));
    }

    private static List<Long> query(IndexService s, String key) {
        return s.query("T", key, 64, 0, Long.MAX_VALUE).offsets();
    }

    private static int entries(IndexService s) {
        return s.files().stream().mapToInt(f -> f.indexCount() - 1).sum();
    }

    private List<Path> filesOnDisk() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("index"))) {
            return s.sorted().toList();
        }
    }

    @Test
    void indexesTheUniqKeyAndEveryKeysTokenUnderItsTopic() {
        IndexService s = service(64, 100);
        s.index(rec("T", 0, "U0", "a b  c", 0));
        assertThat(entries(s)).isEqualTo(4);   // U0, a, b, c (the empty token is skipped)
        for (String k : List.of("U0", "a", "b", "c")) {
            assertThat(query(s, k)).as(k).containsExactly(phy(0));
        }
        assertThat(query(s, "d")).isEmpty();
        assertThat(s.query("Other", "a", 64, 0, Long.MAX_VALUE).offsets()).isEmpty();
        assertThat(IndexService.keys(rec("T", 0, "U0", "a b  c", 0))).containsExactly("T#U0", "T#a", "T#b", "T#c");
        assertThat(s.lastIndexedOffset()).isEqualTo(phy(0));
    }

    @Test
    void skipsRollbackRecordsAndRecordsWithoutKeys() {
        IndexService s = service(64, 100);
        s.index(new StoredRecord(100, "T", 0, 0, phy(0), 0, T0, MessageProperties.TAGS + "\u0001a"));
        assertThat(s.files()).isEmpty();
        s.index(rec("T", 1, "U1", "rolled", MessageRecord.SYSFLAG_TRANSACTION_ROLLBACK));
        assertThat(s.files()).isEmpty();
        s.index(rec("T", 2, "U2", "prepared", MessageRecord.SYSFLAG_TRANSACTION_PREPARED));
        s.index(rec("T", 3, "U3", "committed", MessageRecord.SYSFLAG_TRANSACTION_COMMIT));
        assertThat(query(s, "rolled")).isEmpty();
        assertThat(query(s, "prepared")).containsExactly(phy(2));
        assertThat(query(s, "committed")).containsExactly(phy(3));
    }

    @Test
    void reDispatchAddsNothingTwiceAlsoAfterAReload() {
        IndexService s = service(64, 1000);
        for (int i = 0; i < 10; i++) {
            s.index(rec(i));
        }
        assertThat(entries(s)).isEqualTo(30);
        for (int i = 0; i < 10; i++) {
            s.index(rec(i));
        }
        assertThat(entries(s)).isEqualTo(30);
        close(s);

        IndexService again = service(64, 1000);
        again.recover(phy(10), false);
        assertThat(again.lastIndexedOffset()).isEqualTo(phy(9));
        for (int i = 0; i < 12; i++) {
            again.index(rec(i));
        }
        assertThat(entries(again)).isEqualTo(36);
        assertThat(query(again, "shared")).hasSize(12).doesNotHaveDuplicates();
        assertThat(query(again, "U4")).containsExactly(phy(4));
    }

    @Test
    void rollsToNewFilesNamedByCreationTimeAndQueriesAcrossThem() throws Exception {
        // 5 entries per file, 3 keys per record: one record per file
        IndexService s = service(8, 6);
        for (int i = 0; i < 6; i++) {
            s.index(rec(i));
        }
        assertThat(s.files()).hasSize(6);
        List<Path> names = filesOnDisk();
        assertThat(names).hasSize(6);
        // the clock stands still: names still differ and sort in creation order
        assertThat(names.get(0).getFileName().toString()).isEqualTo(IndexService.fileName(T0)).matches("\\d{17}");
        assertThat(names.get(5).getFileName().toString()).isEqualTo(IndexService.fileName(T0 + 5));
        assertThat(Files.size(names.get(0))).isEqualTo(40 + 8 * 4 + 6 * 20);

        assertThat(query(s, "shared")).containsExactly(phy(0), phy(1), phy(2), phy(3), phy(4), phy(5));
        assertThat(s.query("T", "shared", 2, 0, Long.MAX_VALUE).offsets()).containsExactly(phy(4), phy(5));
        assertThat(s.query("T", "shared", 64, T0 + 2000, T0 + 4000).offsets()).containsExactly(phy(2), phy(3), phy(4));
        IndexQueryResult r = s.query("T", "k3", 64, 0, Long.MAX_VALUE);
        assertThat(r.offsets()).containsExactly(phy(3));
        assertThat(r.indexLastUpdatePhyoffset()).isEqualTo(phy(5));
        assertThat(r.indexLastUpdateTimestamp()).isEqualTo(T0 + 5000);
        close(s);

        IndexService again = service(8, 6);
        assertThat(again.files()).hasSize(6);
        assertThat(query(again, "shared")).hasSize(6);
        again.index(rec(6));
        assertThat(filesOnDisk()).hasSize(7);
        assertThat(filesOnDisk().get(6).getFileName().toString()).isEqualTo(IndexService.fileName(T0 + 6));
    }

    @Test
    void fillsAFileBeforeRollingWhenARecordFits() {
        IndexService s = service(8, 8);   // 7 entries per file
        s.index(rec("T", 0, "U0", "a", 0));          // 2
        s.index(rec("T", 1, "U1", "b", 0));          // 4
        s.index(rec("T", 2, "U2", "c d", 0));        // 7: full
        s.index(rec("T", 3, "U3", null, 0));         // new file
        assertThat(s.files()).hasSize(2);
        assertThat(s.files().get(0).remaining()).isZero();
        assertThat(s.files().get(1).indexCount()).isEqualTo(2);
        // a record with more keys than a whole file holds is split over files
        s.index(rec("T", 4, "U4", "1 2 3 4 5 6 7 8", 0));
        assertThat(query(s, "8")).containsExactly(phy(4));
        assertThat(query(s, "1")).containsExactly(phy(4));
        assertThat(entries(s)).isEqualTo(7 + 1 + 9);
    }

    @Test
    void crashRecoveryTruncatesTheNewestFilesAndReDispatchRestoresThemExactly() throws Exception {
        IndexService s = service(16, 16);   // 15 entries: 5 records per file
        for (int i = 0; i < 20; i++) {
            s.index(rec(i));
        }
        assertThat(s.files()).hasSize(4);
        s.flush();
        close(s);
        // what a power loss can leave: the newest file's last two entries' page never written,
        // while its header and slots (other pages) say they exist
        Path newest = filesOnDisk().get(3);
        try (FileChannel ch = FileChannel.open(newest, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(2 * 20), 40 + 16 * 4 + 14 * 20);
        }

        // dispatch restarts at record 17: entries of 17.. go, the torn ones with them
        IndexService recovered = service(16, 16);
        recovered.recover(phy(17), true);
        assertThat(recovered.lastIndexedOffset()).isEqualTo(phy(16));
        assertThat(entries(recovered)).isEqualTo(17 * 3);
        assertThat(query(recovered, "k18")).isEmpty();
        for (int i = 17; i < 20; i++) {
            recovered.index(rec(i));
        }
        assertThat(entries(recovered)).isEqualTo(60);
        assertThat(query(recovered, "shared")).hasSize(20).doesNotHaveDuplicates();
        for (int i = 0; i < 20; i++) {
            assertThat(query(recovered, "U" + i)).as("U" + i).containsExactly(phy(i));
            assertThat(query(recovered, "k" + i)).as("k" + i).containsExactly(phy(i));
        }
    }

    @Test
    void crashRecoveryDeletesFilesLeftEmpty() throws Exception {
        IndexService s = service(16, 16);
        for (int i = 0; i < 20; i++) {
            s.index(rec(i));
        }
        close(s);

        IndexService recovered = service(16, 16);
        recovered.recover(phy(3), true);   // dispatch restarts at record 3: three files go
        assertThat(recovered.files()).hasSize(1);
        assertThat(filesOnDisk()).hasSize(1);
        assertThat(recovered.lastIndexedOffset()).isEqualTo(phy(2));
        for (int i = 0; i < 20; i++) {
            recovered.index(rec(i));
        }
        assertThat(recovered.files()).hasSize(4);
        assertThat(entries(recovered)).isEqualTo(60);
        assertThat(query(recovered, "shared")).hasSize(20);

        close(recovered);
        IndexService all = service(16, 16);
        all.recover(0, true);
        assertThat(all.files()).isEmpty();
        assertThat(all.lastIndexedOffset()).isEqualTo(-1);
    }

    @Test
    void cleanRecoveryTrustsTheFilesAndDropsOnlyWhatIsBeyondTheCommitLog() {
        IndexService s = service(16, 16);
        for (int i = 0; i < 12; i++) {
            s.index(rec(i));
        }
        close(s);

        IndexService again = service(16, 16);
        again.recover(phy(12), false);
        assertThat(entries(again)).isEqualTo(36);
        close(again);

        // the commitlog ends before record 11 (valid end at its offset)
        IndexService shorter = service(16, 16);
        shorter.recover(phy(11), false);
        assertThat(entries(shorter)).isEqualTo(33);
        assertThat(query(shorter, "k11")).isEmpty();
        assertThat(shorter.lastIndexedOffset()).isEqualTo(phy(10));
    }

    @Test
    void truncateFromForgetsARemovedTailSoThatNewRecordsThereAreIndexed() {
        IndexService s = service(16, 100);
        for (int i = 0; i < 10; i++) {
            s.index(rec(i));
        }
        s.truncateFrom(phy(6));
        assertThat(s.lastIndexedOffset()).isEqualTo(phy(5));
        assertThat(query(s, "k7")).isEmpty();
        s.index(rec("T", 6, "V6", "other", 0));
        assertThat(query(s, "other")).containsExactly(phy(6));
        assertThat(query(s, "k6")).isEmpty();
        assertThat(query(s, "shared")).hasSize(6);
    }

    @Test
    void deletesFilesWhollyBelowTheCommitLogMinimumButNeverTheNewest() throws Exception {
        IndexService s = service(16, 16);   // 5 records per file
        for (int i = 0; i < 20; i++) {
            s.index(rec(i));
        }
        assertThat(s.files()).hasSize(4);
        assertThat(s.deleteFilesBefore(phy(4))).isZero();     // file 0 still points at record 4
        assertThat(s.deleteFilesBefore(phy(5))).isEqualTo(1);
        assertThat(filesOnDisk()).hasSize(3);
        assertThat(query(s, "shared")).hasSize(15);
        assertThat(s.deleteFilesBefore(Long.MAX_VALUE)).isEqualTo(2);
        assertThat(s.files()).hasSize(1);
        assertThat(query(s, "shared")).containsExactly(phy(15), phy(16), phy(17), phy(18), phy(19));
    }

    @Test
    void flushReportsTheNewestEndTimestamp() {
        IndexService s = service(16, 100);
        assertThat(s.flush()).isZero();
        s.index(rec(0));
        s.index(rec(3));
        assertThat(s.flush()).isEqualTo(T0 + 3000);
    }
}
