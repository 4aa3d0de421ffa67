package io.rocketcluster.broker.store;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * One queue's index into the commitlog: 20-byte entries stored under
 * {@code consumequeue/<topic>/<queueId>/}, entry q at byte {@code q * 20} of the queue
 * (docs/store-layout.md §8):
 * <pre>
 * offset  size  field
 * 0       8     commitlog offset of the message
 * 8       4     message size
 * 12      8     tagsCode (TAGS.hashCode(), 0 without a tag)
 * </pre>
 * One writer (the dispatcher); readers copy published entries without locks, holding the file while
 * they copy (see {@link MappedFile}), so a queue deleted meanwhile is never read after unmapping.
 */
public final class ConsumeQueue {
    public static final int ENTRY_SIZE = 20;
    private static final int FILLER_SIZE = Integer.MAX_VALUE;

    private final String topic;
    private final int queueId;
    private final MappedFileQueue files;
    private volatile long minLogicOffset;

    public ConsumeQueue(String topic, int queueId, Path dir, int fileSize, DiskSync diskSync) {
        this.topic = topic;
        this.queueId = queueId;
        this.files = new MappedFileQueue(dir, fileSize - fileSize % ENTRY_SIZE, diskSync);
    }

    public String topic() {
        return topic;
    }

    public int queueId() {
        return queueId;
    }

    MappedFileQueue files() {
        return files;
    }

    /** Maps existing files and finds the last entry written (the first all-zero slot ends the queue). */
    void load(boolean onDisk) {
        files.load(onDisk);
        MappedFile last = files.last();
        if (last == null) {
            return;
        }
        int fileSize = files.fileSize();
        ByteBuffer buf = last.ownerSlice(0, fileSize);
        int pos = 0;
        while (pos + ENTRY_SIZE <= fileSize && buf.getInt(pos + 8) != 0) {
            pos += ENTRY_SIZE;
        }
        if (onDisk) {
            last.setPositions(pos);
        } else {
            last.setPositionsUnforced(pos);
        }
        MappedFile first = files.first();
        minLogicOffset = first.fileFromOffset();
        ByteBuffer firstBuf = first.ownerSlice(0, Math.min(first.wrotePosition(), fileSize));
        for (int p = 0; p + ENTRY_SIZE <= firstBuf.limit(); p += ENTRY_SIZE) {
            if (firstBuf.getInt(p + 8) != FILLER_SIZE) {
                minLogicOffset = first.fileFromOffset() + p;
                break;
            }
        }
    }

    /**
     * Writes the entry for {@code queueOffset}. Idempotent: re-dispatching an existing entry rewrites
     * the same bytes (skipped when retention already deleted its file); a gap (entries lost with their
     * files, or a queue whose first entry is not 0) is filled with filler entries, so every entry sits
     * at {@code queueOffset * 20}. Each write holds its file, so retention can never unmap it under us.
     */
    void put(long queueOffset, long commitLogOffset, int size, long tagsCode) {
        long at = queueOffset * ENTRY_SIZE;
        if (at < files.maxOffset()) {
            MappedFile f = files.find(at);
            if (f != null && f.hold()) {
                try {
                    f.writeAt((int) (at - f.fileFromOffset()), entry(commitLogOffset, size, tagsCode));
                } finally {
                    f.release();
                }
            }
            return;
        }
        if (files.isEmpty() && at > 0) {
            minLogicOffset = at;
        }
        while (files.maxOffset() < at) {
            appendHeld(entry(0L, FILLER_SIZE, 0L), at);
        }
        appendHeld(entry(commitLogOffset, size, tagsCode), at);
    }

    /** Appends to the last file (the file holding {@code at} for an empty queue), held while writing. */
    private void appendHeld(ByteBuffer entry, long at) {
        MappedFile target = files.lastForWrite(at);
        if (!target.hold()) {
            throw new IllegalStateException("consume queue file " + target + " was deleted while being written");
        }
        try {
            target.append(entry);
        } finally {
            target.release();
        }
    }

    private static ByteBuffer entry(long offset, int size, long tagsCode) {
        ByteBuffer b = ByteBuffer.allocate(ENTRY_SIZE);
        b.putLong(offset).putInt(size).putLong(tagsCode).flip();
        return b;
    }

    /** Number of entries = the next queue offset to be written. */
    public long maxOffset() {
        return files.maxOffset() / ENTRY_SIZE;
    }

    public long minOffset() {
        return Math.min(minLogicOffset / ENTRY_SIZE, maxOffset());
    }

    /**
     * A copy of the published entries from {@code queueOffset} on, at most {@code maxEntries}, within
     * one file; null when none.
     */
    ByteBuffer entries(long queueOffset, int maxEntries) {
        long at = queueOffset * ENTRY_SIZE;
        MappedFile f = files.find(at);
        if (f == null) {
            return null;
        }
        int pos = (int) (at - f.fileFromOffset());
        int available = f.wrotePosition() - pos;
        if (available <= 0) {
            return null;
        }
        int n = Math.min(available / ENTRY_SIZE, maxEntries);
        return n <= 0 ? null : f.copy(pos, n * ENTRY_SIZE);
    }

    /** Offset where the file after the one holding {@code queueOffset} starts, in entries. */
    long nextFileStart(long queueOffset) {
        long perFile = files.fileSize() / ENTRY_SIZE;
        return (queueOffset / perFile + 1) * perFile;
    }

    /** Drops entries that point at or beyond {@code commitLogEnd} (the commitlog was truncated). */
    void truncateAfter(long commitLogEnd) {
        long max = maxOffset();
        long keep = max;
        while (keep > minOffset()) {
            ByteBuffer e = entries(keep - 1, 1);
            if (e == null) {
                break;
            }
            long phys = e.getLong(0);
            int size = e.getInt(8);
            if (size != FILLER_SIZE && phys + size <= commitLogEnd) {
                break;
            }
            keep--;
        }
        if (keep < max) {
            files.truncate(keep * ENTRY_SIZE);
        }
    }

    /** Commitlog offset just past the last entry's message, or -1 when empty. */
    long lastPhysicalEnd() {
        long max = maxOffset();
        if (max <= minOffset()) {
            return -1;
        }
        ByteBuffer e = entries(max - 1, 1);
        return e == null ? -1 : e.getLong(0) + e.getInt(8);
    }

    /**
     * Retention: deletes whole files whose entries all point below {@code commitLogMin} (never the
     * last file) and moves the min offset to the first entry at or above it.
     */
    void deleteBefore(long commitLogMin) {
        while (files.files().size() > 1) {
            MappedFile first = files.first();
            ByteBuffer last = first.copy(first.fileSize() - ENTRY_SIZE, ENTRY_SIZE);
            if (last == null) {
                return; // the queue is being deleted
            }
            if (last.getLong(0) + last.getInt(8) > commitLogMin && last.getInt(8) != FILLER_SIZE) {
                break;
            }
            files.deleteFirst();
        }
        MappedFile first = files.first();
        if (first == null) {
            return;
        }
        long min = Math.max(minLogicOffset, first.fileFromOffset());
        ByteBuffer buf = first.copy(0, first.wrotePosition());
        if (buf == null) {
            return;
        }
        for (int p = (int) (min - first.fileFromOffset()); p + ENTRY_SIZE <= buf.limit(); p += ENTRY_SIZE) {
            int size = buf.getInt(p + 8);
            if (size != FILLER_SIZE && buf.getLong(p) >= commitLogMin) {
                break;
            }
            min = first.fileFromOffset() + p + ENTRY_SIZE;
        }
        minLogicOffset = min;
    }

    void flush(int leastPages) {
        files.flush(leastPages);
    }

    void close(boolean delete) {
        if (delete) {
            files.destroyAll();
        } else {
            files.close();
        }
    }
}
