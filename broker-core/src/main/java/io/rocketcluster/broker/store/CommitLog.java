package io.rocketcluster.broker.store;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The commitlog: every message of every topic, appended in RocketMQ's record format to a
 * {@link MappedFileQueue} under {@code storePathCommitLog}. A record that does not fit the rest of a
 * file is preceded by an 8-byte blank marker and goes to the next file.
 *
 * <p>Appends are serialised by a lock that also assigns queue offsets, physical offsets and store
 * timestamps; reads of published bytes need no lock.
 */
public final class CommitLog {
    private final MappedFileQueue files;
    private final LongSupplier clock;
    private final ReentrantLock putLock = new ReentrantLock();
    /** Next queue offset per {@code topic-queueId}; guarded by putLock. */
    private final Map<String, Long> queueOffsets = new HashMap<>();

    public CommitLog(Path dir, int fileSize, LongSupplier clock, DiskSync diskSync) {
        this.files = new MappedFileQueue(dir, fileSize, diskSync);
        this.clock = clock;
    }

    MappedFileQueue files() {
        return files;
    }

    /** Maps the files; {@code onDisk} false after a crash (see {@link MappedFileQueue#load}). */
    public void load(boolean onDisk) {
        files.load(onDisk);
    }

    public long minOffset() {
        return files.minOffset();
    }

    public long maxOffset() {
        return files.maxOffset();
    }

    public int fileSize() {
        return files.fileSize();
    }

    /** Appends one message; the caller has validated it. */
    public PutResult append(MessageToStore m) {
        ByteBuffer record = MessageRecord.encode(m);
        boolean consumable = isConsumable(m.sysFlag);
        putLock.lock();
        try {
            String key = m.topic + "-" + m.queueId;
            long queueOffset = consumable ? queueOffsets.getOrDefault(key, 0L) : 0L;
            MappedFile file = fileWithRoom(record.remaining());
            long phys = file.fileFromOffset() + file.wrotePosition();
            long now = clock.getAsLong();
            MessageRecord.patch(record, queueOffset, phys, now);
            int size = record.remaining();
            file.append(record);
            if (consumable) {
                queueOffsets.put(key, queueOffset + 1);
            }
            return new PutResult(PutStatus.PUT_OK, phys, size, MessageRecord.offsetMsgId(m.storeHost, phys),
                    queueOffset, 1, now);
        } finally {
            putLock.unlock();
        }
    }

    /** Appends messages of one queue contiguously, in one file, with consecutive queue offsets. */
    public PutResult appendBatch(List<MessageToStore> batch) {
        ByteBuffer[] records = new ByteBuffer[batch.size()];
        int total = 0;
        for (int i = 0; i < records.length; i++) {
            records[i] = MessageRecord.encode(batch.get(i));
            total += records[i].remaining();
        }
        MessageToStore firstMsg = batch.get(0);
        InetSocketAddress storeHost = firstMsg.storeHost;
        putLock.lock();
        try {
            String key = firstMsg.topic + "-" + firstMsg.queueId;
            long firstQueueOffset = queueOffsets.getOrDefault(key, 0L);
            MappedFile file = fileWithRoom(total);
            long firstPhys = file.fileFromOffset() + file.wrotePosition();
            long now = clock.getAsLong();
            StringBuilder ids = new StringBuilder();
            long phys = firstPhys;
            for (int i = 0; i < records.length; i++) {
                MessageRecord.patch(records[i], firstQueueOffset + i, phys, now);
                if (i > 0) {
                    ids.append(',');
                }
                ids.append(MessageRecord.offsetMsgId(storeHost, phys));
                phys += records[i].remaining();
                file.append(records[i]);
            }
            queueOffsets.put(key, firstQueueOffset + records.length);
            return new PutResult(PutStatus.PUT_OK, firstPhys, total, ids.toString(), firstQueueOffset,
                    records.length, now);
        } finally {
            putLock.unlock();
        }
    }

    /**
     * Appends replicated bytes at {@code offset}, which must be the current end of the log (a slave
     * copying its master's commitlog verbatim). The bytes never span two files.
     */
    public void appendReplicated(long offset, ByteBuffer data) {
        putLock.lock();
        try {
            long end = files.maxOffset();
            boolean empty = files.isEmpty();
            if (!empty && offset != end) {
                throw new IllegalStateException("replicated data at " + offset + " but the commitlog ends at " + end);
            }
            MappedFile file = files.lastForWrite(offset);
            if (empty) {
                file.setPositions((int) (offset - file.fileFromOffset()));
            }
            if (file.fileFromOffset() + file.wrotePosition() != offset || data.remaining() > file.remaining()) {
                throw new IllegalStateException("replicated data at " + offset + " (" + data.remaining()
                        + " bytes) does not fit " + file);
            }
            file.append(data);
        } finally {
            putLock.unlock();
        }
    }

    /**
     * Published bytes from {@code offset} within the file holding it, at most {@code maxBytes}, held
     * until the caller releases them (the HA stream releases once Netty wrote them); null if none.
     */
    public SelectedRegion selectFrom(long offset, int maxBytes) {
        MappedFile f = files.find(offset);
        if (f == null) {
            return null;
        }
        int pos = (int) (offset - f.fileFromOffset());
        int available = f.wrotePosition() - pos;
        if (available <= 0) {
            return null;
        }
        return f.select(pos, Math.min(available, maxBytes));
    }

    /** Deletes the oldest file (retention); it is unmapped once its readers are done. */
    void deleteFirstFile() {
        putLock.lock();
        try {
            if (files.files().size() > 1) {
                files.deleteFirst();
            }
        } finally {
            putLock.unlock();
        }
    }

    /** Cuts the log at {@code offset} (a slave dropping a tail its master no longer has). */
    void truncateTo(long offset) {
        putLock.lock();
        try {
            files.truncate(offset);
        } finally {
            putLock.unlock();
        }
    }

    private MappedFile fileWithRoom(int size) {
        if (size + MessageRecord.BLANK_MARKER_SIZE > files.fileSize()) {
            throw new IllegalArgumentException("record of " + size + " bytes exceeds the commitlog file size");
        }
        MappedFile file = files.lastForWrite(0);
        if (size + MessageRecord.BLANK_MARKER_SIZE > file.remaining()) {
            int remaining = file.remaining();
            if (remaining >= MessageRecord.BLANK_MARKER_SIZE) {
                ByteBuffer blank = ByteBuffer.allocate(MessageRecord.BLANK_MARKER_SIZE);
                blank.putInt(remaining).putInt(MessageRecord.MAGIC_BLANK).flip();
                file.append(blank);
            }
            file.markFull();
            file = files.lastForWrite(0);
        }
        return file;
    }

    static boolean isConsumable(int sysFlag) {
        int tx = sysFlag & MessageRecord.SYSFLAG_TRANSACTION_MASK;
        return tx == 0 || tx == MessageRecord.SYSFLAG_TRANSACTION_COMMIT;
    }

    /**
     * Bytes {@code [offset, offset+size)} held for the caller (who releases them), or null if not (or
     * no longer) in the log.
     */
    public SelectedRegion select(long offset, int size) {
        MappedFile f = files.find(offset);
        if (f == null) {
            return null;
        }
        int pos = (int) (offset - f.fileFromOffset());
        if (pos + size > f.wrotePosition()) {
            return null;
        }
        return f.select(pos, size);
    }

    /** A heap copy of {@code [offset, offset+size)}, or null if not (or no longer) in the log. */
    public ByteBuffer read(long offset, int size) {
        MappedFile f = files.find(offset);
        if (f == null) {
            return null;
        }
        int pos = (int) (offset - f.fileFromOffset());
        if (pos + size > f.wrotePosition()) {
            return null;
        }
        return f.copy(pos, size);
    }

    /** A heap copy of the whole record starting at {@code offset}, or null. */
    public ByteBuffer readRecord(long offset) {
        ByteBuffer head = read(offset, MessageRecord.BLANK_MARKER_SIZE);
        if (head == null || head.getInt(MessageRecord.MAGIC) != MessageRecord.MAGIC_MESSAGE) {
            return null;
        }
        int size = head.getInt(0);
        return size < MessageRecord.BLANK_MARKER_SIZE ? null : read(offset, size);
    }

    /** What the log holds at {@code offset} (dispatch and recovery); see {@link LogEntry}. */
    LogEntry entryAt(long offset, boolean checkCrc) {
        MappedFile f = files.find(offset);
        if (f == null) {
            return LogEntry.END;
        }
        if (!f.hold()) {
            return LogEntry.END;
        }
        try {
            return entryAt(f, (int) (offset - f.fileFromOffset()), offset, checkCrc);
        } finally {
            f.release();
        }
    }

    private static LogEntry entryAt(MappedFile f, int pos, long offset, boolean checkCrc) {
        int fileSize = f.fileSize();
        int limit = f.wrotePosition();
        if (fileSize - pos < MessageRecord.BLANK_MARKER_SIZE) {
            return LogEntry.FILE_END;
        }
        if (limit - pos < MessageRecord.BLANK_MARKER_SIZE) {
            return limit <= pos ? LogEntry.END : LogEntry.INCOMPLETE;
        }
        ByteBuffer file = f.ownerSlice(0, fileSize);
        int size = file.getInt(pos);
        int magic = file.getInt(pos + MessageRecord.MAGIC);
        if (magic == MessageRecord.MAGIC_BLANK) {
            return LogEntry.FILE_END;
        }
        if (magic == 0 && size == 0) {
            return LogEntry.END;
        }
        if (magic != MessageRecord.MAGIC_MESSAGE) {
            return LogEntry.corrupt(String.format("bad magic code 0x%08X", magic));
        }
        if (size < MessageRecord.MIN_RECORD_SIZE || size > fileSize - pos) {
            return LogEntry.corrupt("impossible record size " + size);
        }
        if (size > limit - pos) {
            return LogEntry.INCOMPLETE;
        }
        StoredRecord r = StoredRecord.parse(file, pos, limit, checkCrc);
        if (!r.isMessage()) {
            return LogEntry.corrupt("record fields do not add up to its size" + (checkCrc ? " or its body CRC is wrong" : ""));
        }
        if (r.physicalOffset() != offset) {
            return LogEntry.corrupt("record says it is stored at " + r.physicalOffset());
        }
        return LogEntry.of(r);
    }

    /** Offset of the file after the one holding {@code offset}. */
    long nextFileOffset(long offset) {
        return offset - (offset % files.fileSize()) + files.fileSize();
    }

    /** Where recovery found the end of the valid log, and what stopped the scan there. */
    record ScanEnd(long offset, int records, LogEntry stop) {
    }

    /**
     * Finds the end of valid data scanning from the start of the file holding {@code scanFrom}
     * (or the first file). Does not change anything.
     */
    ScanEnd scan(long scanFrom, boolean checkCrc) {
        if (files.isEmpty()) {
            return new ScanEnd(0, 0, LogEntry.END);
        }
        long from = Math.max(files.minOffset(), scanFrom - (scanFrom % files.fileSize()));
        if (files.find(from) == null) {
            from = files.last().fileFromOffset();
        }
        long offset = from;
        int records = 0;
        while (true) {
            LogEntry e = entryAt(offset, checkCrc);
            if (e.is(LogEntry.Kind.FILE_END)) {
                long next = nextFileOffset(offset);
                if (files.find(next) == null) {
                    return new ScanEnd(offset, records, LogEntry.END);
                }
                offset = next;
            } else if (e.is(LogEntry.Kind.RECORD)) {
                offset += e.record().size();
                records++;
            } else {
                return new ScanEnd(offset, records, e);
            }
        }
    }

    /** The file holding {@code offset} and the position in it, for messages. */
    String describe(long offset) {
        MappedFile f = files.find(offset);
        return f == null ? "no file" : f.path() + " at position " + (offset - f.fileFromOffset());
    }

    /**
     * Cuts the log at {@code validEnd} after recovery (a torn tail): later bytes are zeroed and later
     * files deleted. Returns how many bytes were dropped.
     */
    long truncateTail(long validEnd) {
        long before = files.maxOffset();
        files.truncate(validEnd);
        MappedFile f = files.find(validEnd);
        if (f == null && !files.isEmpty() && files.last().fileFromOffset() + files.fileSize() == validEnd) {
            files.last().markFull();
        }
        return before - validEnd;
    }

    /** Rebuilds the next queue offsets from the consume queues after recovery. */
    void setQueueOffsets(Map<String, Long> offsets) {
        putLock.lock();
        try {
            queueOffsets.clear();
            queueOffsets.putAll(offsets);
        } finally {
            putLock.unlock();
        }
    }

    /** Runs {@code action} while no append can happen. */
    void exclusively(Runnable action) {
        putLock.lock();
        try {
            action.run();
        } finally {
            putLock.unlock();
        }
    }

    void removeQueueOffsets(String topic) {
        putLock.lock();
        try {
            queueOffsets.keySet().removeIf(k -> k.startsWith(topic + "-")
                    && k.substring(topic.length() + 1).chars().allMatch(Character::isDigit));
        } finally {
            putLock.unlock();
        }
    }

    public long flush(int leastPages) {
        return files.flush(leastPages);
    }

    public void close() {
        files.close();
    }

    void abandon() {
        files.abandon();
    }
}
