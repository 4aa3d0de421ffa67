package io.rocketcluster.broker.store.index;

import io.rocketcluster.broker.store.MessageProperties;
import io.rocketcluster.broker.store.MessageRecord;
import io.rocketcluster.broker.store.StoredRecord;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The message index (docs/store-layout.md §9): {@link IndexFile}s under {@code <storePathRootDir>/index/},
 * each named by its creation time {@code yyyyMMddHHmmssSSS} (local time zone; a name is always later
 * than the newest existing one, so name order is creation order). For every dispatched record except
 * rollback-type ones it indexes {@code topic#UNIQ_KEY} and {@code topic#<each KEYS token>}, all keys
 * of a record in one file: when they do not fit in the newest file, a new file is started (the file
 * is full when indexCount reaches maxIndexNum). Lookups walk the files newest first.
 *
 * <p>Idempotent: a record at or below {@link #lastIndexedOffset()} (the newest file's endPhyOffset)
 * is skipped, so re-dispatching the commitlog after a restart adds nothing twice.
 *
 * <p>Durability and recovery: {@link #flush()} runs with the consume-queue flush, before the
 * checkpoint records the dispatched offset, so everything the index holds below the checkpoint's
 * dispatchedOffset is on disk. After a clean stop the files are trusted. After a crash the newest
 * files are not (a page of entries, slots or header may be missing), so {@link #recover} truncates
 * them to their entries below the offset the dispatcher re-dispatches from and rebuilds their slots
 * and headers; the re-dispatch then indexes the rest again. Entries never change once written,
 * which is what makes the truncated prefix trustworthy.
 *
 * <p>Thread-safe. Changes to the file list (indexing, recovery, deletion) are serialised on this
 * service; queries and flushes work on a snapshot of it without blocking them, and a file deleted
 * meanwhile answers as empty.
 */
public final class IndexService {
    private static final Logger LOG = LogManager.getLogger(IndexService.class);
    /** Most offsets one lookup returns (RocketMQ's maxMsgsNumBatch). */
    public static final int MAX_QUERY_NUM = 64;
    static final DateTimeFormatter FILE_NAME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS");

    private final Path dir;
    private final int hashSlotNum;
    private final int indexNum;
    private final LongSupplier clock;
    private final io.rocketcluster.broker.store.DiskSync diskSync;
    private final List<IndexFile> files = new CopyOnWriteArrayList<>();
    private volatile long lastIndexedOffset = -1;
    private long lastFileMillis = Long.MIN_VALUE;
    private boolean failing;

    public IndexService(Path dir, int hashSlotNum, int indexNum, LongSupplier clock) {
        this(dir, hashSlotNum, indexNum, clock, io.rocketcluster.broker.store.DiskSync.SYSTEM);
    }

    /** As above, forcing files through {@code diskSync}. */
    public IndexService(Path dir, int hashSlotNum, int indexNum, LongSupplier clock,
                        io.rocketcluster.broker.store.DiskSync diskSync) {
        IndexFile.checkSize(hashSlotNum, indexNum);
        this.dir = dir;
        this.hashSlotNum = hashSlotNum;
        this.indexNum = indexNum;
        this.clock = clock;
        this.diskSync = diskSync;
    }

    /** Maps the existing files in name order. */
    public synchronized void load() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> s = Files.list(dir)) {
            paths = s.filter(p -> p.getFileName().toString().matches("\\d{17}")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        for (Path p : paths) {
            files.add(IndexFile.open(p, hashSlotNum, indexNum, diskSync));
            lastFileMillis = Math.max(lastFileMillis, nameMillis(p.getFileName().toString()));
        }
        lastIndexedOffset = newestEndPhyOffset();
        LOG.info("index {}: {} files loaded, last indexed commitlog offset {}", dir, files.size(), lastIndexedOffset);
    }

    /**
     * Makes the index hold nothing at or after {@code keepBelow} (the commitlog offset dispatching
     * restarts from) and sets where indexing resumes. After a clean stop ({@code crashed} false) headers
     * are trusted and only files whose endPhyOffset reaches {@code keepBelow} are touched; after a crash
     * the newest files are checked and truncated entry by entry (see {@link IndexFile#truncate}),
     * newest first, until one keeps an entry: the files before it were complete and flushed before
     * that entry was. Files left empty are deleted.
     */
    public synchronized void recover(long keepBelow, boolean crashed) {
        for (int i = files.size() - 1; i >= 0; i--) {
            IndexFile f = files.get(i);
            if (!f.isEmpty() && !crashed && f.endPhyOffset() < keepBelow) {
                break;
            }
            int before = f.indexCount() - 1;
            int kept = f.isEmpty() ? 0 : f.truncate(keepBelow);
            if (kept < before) {
                LOG.info("index file {}: kept {} of {} entries (below commitlog offset {})", f, kept, before, keepBelow);
            }
            if (kept > 0) {
                break;
            }
            files.remove(f);
            f.destroy();
        }
        lastIndexedOffset = newestEndPhyOffset();
    }

    /** Forgets everything pointing at or after {@code offset} (a slave whose commitlog was cut there). */
    public void truncateFrom(long offset) {
        recover(offset, false);
    }

    /** Commitlog offset of the last indexed record (-1 if none); records at or below it are skipped. */
    public long lastIndexedOffset() {
        return lastIndexedOffset;
    }

    /** Indexes one dispatched record. Never throws: a failure is logged and the record is left out. */
    public synchronized void index(StoredRecord r) {
        if (!r.isMessage() || r.physicalOffset() <= lastIndexedOffset
                || (r.sysFlag() & MessageRecord.SYSFLAG_TRANSACTION_MASK) == MessageRecord.SYSFLAG_TRANSACTION_ROLLBACK) {
            return;
        }
        List<Integer> hashes = keyHashes(r);
        if (hashes.isEmpty()) {
            return;
        }
        try {
            int done = 0;
            while (done < hashes.size()) {
                IndexFile f = writableFile(hashes.size() - done);
                done += f.put(hashes.subList(done, hashes.size()), r.physicalOffset(), r.storeTimestamp());
            }
            lastIndexedOffset = r.physicalOffset();
            if (failing) {
                LOG.info("indexing works again (commitlog offset {})", r.physicalOffset());
                failing = false;
            }
        } catch (RuntimeException | InternalError e) {
            // InternalError: a fault writing the mapped file (no space left for a page of a sparse file)
            if (!failing) {
                LOG.error("cannot index the record at commitlog offset {}; records are left out of the index "
                        + "until this works again", r.physicalOffset(), e);
                failing = true;
            }
        }
    }

    /** The index keys of a record: {@code topic#UNIQ_KEY}, then {@code topic#key} per non-empty KEYS token. */
    public static List<String> keys(StoredRecord r) {
        List<String> keys = new ArrayList<>();
        String uniq = MessageProperties.get(r.properties(), MessageProperties.UNIQ_KEY);
        if (uniq != null) {
            keys.add(r.topic() + "#" + uniq);
        }
        String userKeys = MessageProperties.get(r.properties(), MessageProperties.KEYS);
        if (userKeys != null) {
            for (String k : userKeys.split(" ")) {
                if (!k.isEmpty()) {
                    keys.add(r.topic() + "#" + k);
                }
            }
        }
        return keys;
    }

    private static List<Integer> keyHashes(StoredRecord r) {
        List<String> keys = keys(r);
        List<Integer> hashes = new ArrayList<>(keys.size());
        for (String k : keys) {
            hashes.add(IndexFile.keyHash(k));
        }
        return hashes;
    }

    /**
     * The file to add {@code wanted} entries to: the newest if they fit, else a new one (a record
     * with more keys than a whole file holds is split, filling the newest file first).
     */
    private IndexFile writableFile(int wanted) {
        IndexFile last = files.isEmpty() ? null : files.get(files.size() - 1);
        if (last != null) {
            int room = last.remaining();
            if (room >= wanted || (wanted > last.capacity() && room > 0)) {
                return last;
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        long millis = Math.max(clock.getAsLong(), lastFileMillis == Long.MIN_VALUE ? Long.MIN_VALUE : lastFileMillis + 1);
        IndexFile f = IndexFile.create(dir.resolve(fileName(millis)), hashSlotNum, indexNum, diskSync);
        lastFileMillis = millis;
        files.add(f);
        LOG.info("index file {} created", f);
        return f;
    }

    static String fileName(long millis) {
        return FILE_NAME.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneId.systemDefault()));
    }

    private static long nameMillis(String name) {
        try {
            return LocalDateTime.parse(name, FILE_NAME).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }

    private long newestEndPhyOffset() {
        for (int i = files.size() - 1; i >= 0; i--) {
            IndexFile f = files.get(i);
            if (!f.isEmpty()) {
                return f.endPhyOffset();
            }
        }
        return -1;
    }

    /**
     * Commitlog offsets of records indexed under {@code topic#key} whose store time (to the second)
     * is in [begin, end]: at most min(maxNum, {@value #MAX_QUERY_NUM}), newest files first, stopping
     * at the first file that begins before {@code begin}. Candidates only: hash collisions included.
     */
    public IndexQueryResult query(String topic, String key, int maxNum, long begin, long end) {
        return query(topic, key, maxNum, begin, end, Integer.MAX_VALUE);
    }

    /**
     * {@link #query(String, String, int, long, long)} walking at most {@code maxSteps} index entries in
     * all ({@code indexQueryMaxChainSteps}); a walk cut short is flagged in the result.
     */
    public IndexQueryResult query(String topic, String key, int maxNum, long begin, long end, int maxSteps) {
        List<IndexFile> snapshot = List.copyOf(files);
        if (snapshot.isEmpty()) {
            return IndexQueryResult.EMPTY;
        }
        IndexFile newest = snapshot.get(snapshot.size() - 1);
        long lastTimestamp = newest.endTimestamp();
        long lastPhyOffset = newest.endPhyOffset();
        int max = Math.min(maxNum, MAX_QUERY_NUM);
        int hash = IndexFile.keyHash(topic + "#" + key);
        Set<Long> found = new LinkedHashSet<>();
        int steps = 0;
        for (int i = snapshot.size() - 1; i >= 0 && found.size() < max && steps < maxSteps; i--) {
            IndexFile f = snapshot.get(i);
            if (f.overlaps(begin, end)) {
                steps += f.select(found, hash, max, begin, end, maxSteps - steps);
            }
            if (f.beginTimestamp() < begin) {
                break;
            }
        }
        List<Long> offsets = new ArrayList<>(found);
        Collections.sort(offsets);
        return new IndexQueryResult(offsets, lastTimestamp, lastPhyOffset, steps >= maxSteps);
    }

    /**
     * Forces every file changed since the last flush; returns the newest file's endTimestamp as of
     * this flush (the checkpoint's indexMsgTimestamp), 0 when there is no index yet.
     */
    public long flush() {
        long last = 0;
        for (IndexFile f : files) {
            last = f.flush();
        }
        return last;
    }

    /**
     * Deletes the files whose records all lie below {@code commitLogMinOffset} (endPhyOffset below
     * it), oldest first, never the newest file. Returns how many were deleted.
     */
    public synchronized int deleteFilesBefore(long commitLogMinOffset) {
        int deleted = 0;
        while (files.size() > 1) {
            IndexFile f = files.get(0);
            if (f.endPhyOffset() >= commitLogMinOffset) {
                break;
            }
            files.remove(0);
            f.destroy();
            deleted++;
            LOG.info("index file {} deleted: its records are below commitlog offset {}", f, commitLogMinOffset);
        }
        return deleted;
    }

    /** The files, oldest first. */
    public List<IndexFile> files() {
        return Collections.unmodifiableList(files);
    }

    /** Flushes and unmaps every file. */
    public synchronized void close() {
        for (IndexFile f : files) {
            f.close();
        }
        files.clear();
    }

    /** Unmaps every file without forcing it (a simulated crash). */
    public synchronized void abandon() {
        for (IndexFile f : files) {
            f.abandon();
        }
        files.clear();
    }
}
