package io.rocketcluster.broker.store.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;

/**
 * One file of the message index, in RocketMQ 4.x's layout (docs/store-layout.md §9): a hash table of
 * {@code hashSlotNum} slots whose chains run through up to {@code indexNum} fixed-size entries, each
 * pointing at a commitlog record. Big-endian, memory-mapped, size
 * {@code 40 + hashSlotNum*4 + indexNum*20} bytes:
 * <pre>
 *  header (40 bytes)
 *  offset  size  field
 *  0       8     beginTimestamp   store time of the first entry's record
 *  8       8     endTimestamp     latest store time indexed
 *  16      8     beginPhyOffset   commitlog offset of the first entry's record
 *  24      8     endPhyOffset     commitlog offset of the last entry's record
 *  32      4     hashSlotCount    slots in use
 *  36      4     indexCount       next entry number; starts at 1 (entry 0 is never used)
 *
 *  slots (hashSlotNum x 4 bytes), slot s at 40 + s*4
 *  0       4     number of the newest entry whose keyHash % hashSlotNum == s (0 = empty)
 *
 *  entries (indexNum x 20 bytes), entry n at 40 + hashSlotNum*4 + n*20
 *  0       4     keyHash          abs(key.hashCode()), 0 when abs overflows
 *  4       8     commitlog offset of the record
 *  12      4     timeDiff         (storeTimestamp - beginTimestamp) / 1000, clamped to [0, Integer.MAX_VALUE]
 *  16      4     prevIndex        previous entry of the same slot (0 = end of chain)
 * </pre>
 * Entries are append-only and never change once written; only the slots and the header are
 * rewritten. {@link #truncate} relies on that: it keeps a prefix of the entries and rebuilds slots
 * and header from it. The one deliberate difference from RocketMQ: {@code endTimestamp} is the
 * latest store time indexed rather than the last one, which is the same unless store times go
 * backwards (committed transactional records keep their half message's time).
 *
 * <p>Thread-safe: every method locks the file, so a query never reads a half-written chain and
 * nothing reads a file after it was unmapped.
 */
public final class IndexFile {
    public static final int HEADER_SIZE = 40;
    public static final int BEGIN_TIMESTAMP = 0;
    public static final int END_TIMESTAMP = 8;
    public static final int BEGIN_PHY_OFFSET = 16;
    public static final int END_PHY_OFFSET = 24;
    public static final int HASH_SLOT_COUNT = 32;
    public static final int INDEX_COUNT = 36;

    public static final int SLOT_SIZE = 4;

    public static final int ENTRY_SIZE = 20;
    public static final int ENTRY_KEY_HASH = 0;
    public static final int ENTRY_PHY_OFFSET = 4;
    public static final int ENTRY_TIME_DIFF = 12;
    public static final int ENTRY_PREV_INDEX = 16;

    /** Slot and prevIndex value meaning "no entry"; also why entry 0 is never used. */
    public static final int NO_ENTRY = 0;

    private final Path path;
    private final int hashSlotNum;
    private final int indexNum;
    private final io.rocketcluster.broker.store.DiskSync diskSync;
    private final FileChannel channel;
    private final MappedByteBuffer buf;
    private boolean dirty;
    private boolean closed;

    private IndexFile(Path path, int hashSlotNum, int indexNum, boolean create,
                      io.rocketcluster.broker.store.DiskSync diskSync) {
        this.path = path;
        this.diskSync = diskSync;
        this.hashSlotNum = hashSlotNum;
        this.indexNum = indexNum;
        long size = fileSize(hashSlotNum, indexNum);
        try {
            if (!create && Files.size(path) != size) {
                throw new IllegalStateException("index file " + path + " has " + Files.size(path) + " bytes, expected "
                        + size + " for maxHashSlotNum=" + hashSlotNum + " and maxIndexNum=" + indexNum
                        + " (were they changed?)");
            }
            channel = create
                    ? FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            buf = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map index file " + path, e);
        }
        if (create) {
            buf.putInt(INDEX_COUNT, 1);
            dirty = true;
        } else if (buf.getInt(INDEX_COUNT) <= 0) {
            buf.putInt(INDEX_COUNT, 1);
        }
    }

    /** Creates and maps a new, empty file; fails if {@code path} exists. */
    public static IndexFile create(Path path, int hashSlotNum, int indexNum) {
        return create(path, hashSlotNum, indexNum, io.rocketcluster.broker.store.DiskSync.SYSTEM);
    }

    /** As {@link #create(Path, int, int)}, forcing through {@code diskSync}. */
    public static IndexFile create(Path path, int hashSlotNum, int indexNum,
                                   io.rocketcluster.broker.store.DiskSync diskSync) {
        checkSize(hashSlotNum, indexNum);
        return new IndexFile(path, hashSlotNum, indexNum, true, diskSync);
    }

    /** Maps an existing file, which must have the size these parameters give. */
    public static IndexFile open(Path path, int hashSlotNum, int indexNum) {
        return open(path, hashSlotNum, indexNum, io.rocketcluster.broker.store.DiskSync.SYSTEM);
    }

    /** As {@link #open(Path, int, int)}, forcing through {@code diskSync}. */
    public static IndexFile open(Path path, int hashSlotNum, int indexNum,
                                 io.rocketcluster.broker.store.DiskSync diskSync) {
        checkSize(hashSlotNum, indexNum);
        return new IndexFile(path, hashSlotNum, indexNum, false, diskSync);
    }

    public static long fileSize(int hashSlotNum, int indexNum) {
        return HEADER_SIZE + (long) hashSlotNum * SLOT_SIZE + (long) indexNum * ENTRY_SIZE;
    }

    /** Rejects parameters that give no usable entry or a file too large to map in one piece. */
    public static void checkSize(int hashSlotNum, int indexNum) {
        if (hashSlotNum <= 0 || indexNum <= 1 || fileSize(hashSlotNum, indexNum) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxHashSlotNum=" + hashSlotNum + " and maxIndexNum=" + indexNum
                    + " do not give a usable index file (need maxHashSlotNum > 0, maxIndexNum > 1 and "
                    + "40 + maxHashSlotNum*4 + maxIndexNum*20 < 2 GiB)");
        }
    }

    /** The hash stored for an index key: {@code abs(key.hashCode())}, 0 when abs overflows. */
    public static int keyHash(String key) {
        int h = Math.abs(key.hashCode());
        return h < 0 ? 0 : h;
    }

    public Path path() {
        return path;
    }

    // header getters answer as an empty file once the file is closed (never touch an unmapped buffer)

    public synchronized long beginTimestamp() {
        return closed ? 0 : buf.getLong(BEGIN_TIMESTAMP);
    }

    public synchronized long endTimestamp() {
        return closed ? 0 : buf.getLong(END_TIMESTAMP);
    }

    public synchronized long beginPhyOffset() {
        return closed ? 0 : buf.getLong(BEGIN_PHY_OFFSET);
    }

    public synchronized long endPhyOffset() {
        return closed ? 0 : buf.getLong(END_PHY_OFFSET);
    }

    public synchronized int hashSlotCount() {
        return closed ? 0 : buf.getInt(HASH_SLOT_COUNT);
    }

    public synchronized int indexCount() {
        return closed ? 1 : buf.getInt(INDEX_COUNT);
    }

    /** Entries that can still be added. */
    public synchronized int remaining() {
        return closed ? 0 : indexNum - buf.getInt(INDEX_COUNT);
    }

    public synchronized boolean isEmpty() {
        return closed || buf.getInt(INDEX_COUNT) <= 1;
    }

    /** Entries an empty file can take. */
    public int capacity() {
        return indexNum - 1;
    }

    /**
     * Adds one entry per key hash for the record at {@code phyOffset}, as far as there is room;
     * returns how many were added (all of them, or {@link #remaining()} if fewer).
     */
    public synchronized int put(List<Integer> keyHashes, long phyOffset, long storeTimestamp) {
        ensureOpen();
        int added = 0;
        for (int keyHash : keyHashes) {
            if (!putOne(keyHash, phyOffset, storeTimestamp)) {
                break;
            }
            added++;
        }
        return added;
    }

    private boolean putOne(int keyHash, long phyOffset, long storeTimestamp) {
        int count = buf.getInt(INDEX_COUNT);
        if (count >= indexNum) {
            return false;
        }
        int slotAt = slotPosition(keyHash);
        int head = buf.getInt(slotAt);
        if (head <= NO_ENTRY || head >= count) {
            head = NO_ENTRY;
        }
        long begin = buf.getLong(BEGIN_TIMESTAMP);
        long diff = (storeTimestamp - begin) / 1000;
        if (begin <= 0 || diff < 0) {
            diff = 0;
        } else if (diff > Integer.MAX_VALUE) {
            diff = Integer.MAX_VALUE;
        }
        int at = entryPosition(count);
        buf.putInt(at + ENTRY_KEY_HASH, keyHash);
        buf.putLong(at + ENTRY_PHY_OFFSET, phyOffset);
        buf.putInt(at + ENTRY_TIME_DIFF, (int) diff);
        buf.putInt(at + ENTRY_PREV_INDEX, head);
        buf.putInt(slotAt, count);
        if (count <= 1) {
            buf.putLong(BEGIN_PHY_OFFSET, phyOffset);
            buf.putLong(BEGIN_TIMESTAMP, storeTimestamp);
        }
        if (head == NO_ENTRY) {
            buf.putInt(HASH_SLOT_COUNT, buf.getInt(HASH_SLOT_COUNT) + 1);
        }
        buf.putInt(INDEX_COUNT, count + 1);
        buf.putLong(END_PHY_OFFSET, phyOffset);
        if (count <= 1 || storeTimestamp > buf.getLong(END_TIMESTAMP)) {
            buf.putLong(END_TIMESTAMP, storeTimestamp);
        }
        dirty = true;
        return true;
    }

    /** Whether this file's [beginTimestamp, endTimestamp] overlaps [begin, end] (RocketMQ's isTimeMatched). */
    public synchronized boolean overlaps(long begin, long end) {
        if (closed) {
            return false;
        }
        long fileBegin = buf.getLong(BEGIN_TIMESTAMP);
        long fileEnd = buf.getLong(END_TIMESTAMP);
        return (begin < fileBegin && end > fileEnd)
                || (begin >= fileBegin && begin <= fileEnd)
                || (end >= fileBegin && end <= fileEnd);
    }

    /** Chain entries walked per hold of the file's lock, so a long walk never stalls the dispatcher's puts. */
    static final int WALK_CHUNK = 1024;

    /**
     * Adds to {@code out} the commitlog offsets of the entries with {@code keyHash} whose time
     * (beginTimestamp + timeDiff seconds) is in [begin, end], newest first, until {@code out} holds
     * {@code maxNum}. The chain walk stops at the first entry older than {@code begin}.
     */
    public void select(Collection<Long> out, int keyHash, int maxNum, long begin, long end) {
        select(out, keyHash, maxNum, begin, end, Integer.MAX_VALUE);
    }

    /**
     * {@link #select(Collection, int, int, long, long)} walking at most {@code maxSteps} chain entries, in
     * chunks of {@value #WALK_CHUNK} under the lock (written entries never change, and each chunk re-checks
     * the cursor against the file, so a truncation in between ends the walk). Returns the entries walked;
     * {@code maxSteps} means the walk was cut short.
     */
    public int select(Collection<Long> out, int keyHash, int maxNum, long begin, long end, int maxSteps) {
        int[] cursor = {Integer.MIN_VALUE};
        int steps = 0;
        while (steps < maxSteps && out.size() < maxNum && cursor[0] != NO_ENTRY) {
            steps += walk(cursor, out, keyHash, maxNum, begin, end, Math.min(WALK_CHUNK, maxSteps - steps));
        }
        return steps;
    }

    /** One chunk of a chain walk from {@code cursor[0]} (MIN_VALUE: the slot's head); NO_ENTRY when done. */
    private synchronized int walk(int[] cursor, Collection<Long> out, int keyHash, int maxNum, long begin, long end,
                                  int maxSteps) {
        int count = closed ? 0 : buf.getInt(INDEX_COUNT);
        int next = cursor[0] == Integer.MIN_VALUE && !closed ? buf.getInt(slotPosition(keyHash)) : cursor[0];
        cursor[0] = NO_ENTRY;
        if (count <= 1 || next <= NO_ENTRY || next >= count) {
            return 0;
        }
        long fileBegin = buf.getLong(BEGIN_TIMESTAMP);
        int steps = 0;
        while (out.size() < maxNum && steps < maxSteps) {
            steps++;
            int at = entryPosition(next);
            int diff = buf.getInt(at + ENTRY_TIME_DIFF);
            int prev = buf.getInt(at + ENTRY_PREV_INDEX);
            if (diff < 0) {
                return steps;
            }
            long time = fileBegin + diff * 1000L;
            if (buf.getInt(at + ENTRY_KEY_HASH) == keyHash && time >= begin && time <= end) {
                out.add(buf.getLong(at + ENTRY_PHY_OFFSET));
            }
            if (prev <= NO_ENTRY || prev >= next || time < begin) {
                return steps;
            }
            next = prev;
        }
        cursor[0] = next;
        return steps;
    }

    /**
     * Keeps the leading entries that point below {@code keepBelow} and rebuilds the slots and the
     * header from them; returns how many entries were kept. Entries are checked, not trusted: the
     * scan also stops at the first one that is out of commitlog order or malformed (a page of the
     * entry area that never reached the disk). The slots are always rebuilt, because after a crash
     * they may point at entries that were lost. endTimestamp becomes an upper bound within a second
     * of the true value (entries store whole seconds). Dropped entries are zeroed.
     */
    public synchronized int truncate(long keepBelow) {
        ensureOpen();
        int count = Math.min(buf.getInt(INDEX_COUNT), indexNum);
        int n = 1;
        long lastPhy = Long.MIN_VALUE;
        int maxDiff = 0;
        for (; n < count; n++) {
            int at = entryPosition(n);
            int hash = buf.getInt(at + ENTRY_KEY_HASH);
            long phy = buf.getLong(at + ENTRY_PHY_OFFSET);
            int diff = buf.getInt(at + ENTRY_TIME_DIFF);
            int prev = buf.getInt(at + ENTRY_PREV_INDEX);
            boolean zero = hash == 0 && phy == 0 && diff == 0 && prev == 0 && n > 1;
            if (zero || phy >= keepBelow || phy < lastPhy || hash < 0 || diff < 0 || prev < 0 || prev >= n) {
                break;
            }
            lastPhy = phy;
            maxDiff = Math.max(maxDiff, diff);
        }
        int kept = n - 1;
        clearSlots();
        int used = 0;
        for (int m = 1; m <= kept; m++) {
            int at = entryPosition(m);
            int slotAt = slotPosition(buf.getInt(at + ENTRY_KEY_HASH));
            int head = buf.getInt(slotAt);
            if (head == NO_ENTRY) {
                used++;
            }
            if (buf.getInt(at + ENTRY_PREV_INDEX) != head) {
                buf.putInt(at + ENTRY_PREV_INDEX, head);
            }
            buf.putInt(slotAt, m);
        }
        for (int m = kept + 1; m < count; m++) {
            zeroRange(entryPosition(m), ENTRY_SIZE);
        }
        buf.putInt(HASH_SLOT_COUNT, used);
        buf.putInt(INDEX_COUNT, kept + 1);
        if (kept == 0) {
            buf.putLong(BEGIN_TIMESTAMP, 0);
            buf.putLong(END_TIMESTAMP, 0);
            buf.putLong(BEGIN_PHY_OFFSET, 0);
            buf.putLong(END_PHY_OFFSET, 0);
        } else {
            buf.putLong(BEGIN_PHY_OFFSET, buf.getLong(entryPosition(1) + ENTRY_PHY_OFFSET));
            buf.putLong(END_PHY_OFFSET, lastPhy);
            buf.putLong(END_TIMESTAMP, buf.getLong(BEGIN_TIMESTAMP) + maxDiff * 1000L + 999);
        }
        dirty = true;
        return kept;
    }

    private void clearSlots() {
        zeroRange(HEADER_SIZE, hashSlotNum * SLOT_SIZE);
    }

    /** Zeroes [from, from+len), writing only non-zero ints so that untouched pages stay clean. */
    private void zeroRange(int from, int len) {
        for (int i = from; i < from + len; i += 4) {
            if (buf.getInt(i) != 0) {
                buf.putInt(i, 0);
            }
        }
    }

    /** Forces what changed since the last flush to disk; returns endTimestamp as of this flush. */
    public synchronized long flush() {
        if (closed) {
            return 0; // deleted by retention while a flush round held it: never read an unmapped buffer
        }
        long end = buf.getLong(END_TIMESTAMP);
        if (dirty) {
            diskSync.force(path, buf, 0, buf.capacity());
            dirty = false;
        }
        return end;
    }

    /** Flushes and unmaps; queries on a closed file find nothing. */
    public synchronized void close() {
        if (closed) {
            return;
        }
        flush();
        abandon();
    }

    /** Unmaps without forcing (a simulated crash); queries then find nothing. */
    public synchronized void abandon() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close index file " + path, e);
        }
        io.rocketcluster.broker.store.MappedFile.release(buf);
    }

    /** Closes and deletes the file. */
    public synchronized void destroy() {
        close();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete index file " + path, e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("index file " + path + " is closed");
        }
    }

    private int slotPosition(int keyHash) {
        return HEADER_SIZE + (keyHash % hashSlotNum) * SLOT_SIZE;
    }

    private int entryPosition(int n) {
        return HEADER_SIZE + hashSlotNum * SLOT_SIZE + n * ENTRY_SIZE;
    }


    @Override
    public String toString() {
        return path.toString();
    }
}
