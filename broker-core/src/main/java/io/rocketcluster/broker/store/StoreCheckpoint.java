package io.rocketcluster.broker.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The 4096-byte {@code checkpoint} file (docs/store-layout.md §5), big-endian:
 * <pre>
 * offset  size  field
 * 0       8     physicMsgTimestamp     when the checkpoint was last written
 * 8       8     logicsMsgTimestamp     same (RocketMQ's field)
 * 16      8     indexMsgTimestamp      endTimestamp of the index as of its last flush
 * 24      8     dispatchedOffset       commitlog offset below which every consume-queue and index
 *                                      entry is on disk (RocketCluster's own; unused by RocketMQ 4.x)
 * 32      8     flushedCommitLogOffset commitlog offset that was forced to disk when this was
 *                                      written (RocketCluster's own)
 * </pre>
 * Written only after the consume queues and the index are wholly flushed up to
 * {@code dispatchedOffset} (see {@link MessageStore}). Recovery re-dispatches the commitlog from
 * {@code dispatchedOffset}, and treats an unparseable record below {@code flushedCommitLogOffset} as
 * corruption rather than a torn write. Forced through the store's {@link DiskSync}.
 */
public final class StoreCheckpoint {
    private static final int SIZE = 4096;
    private static final int PHYSIC_TIMESTAMP = 0;
    private static final int LOGICS_TIMESTAMP = 8;
    private static final int INDEX_TIMESTAMP = 16;
    private static final int DISPATCHED_OFFSET = 24;
    private static final int FLUSHED_COMMITLOG_OFFSET = 32;
    private final Path file;
    private final DiskSync diskSync;
    private final FileChannel channel;
    private final MappedByteBuffer buf;

    public StoreCheckpoint(Path file, DiskSync diskSync) {
        this.file = file;
        this.diskSync = diskSync;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            buf = channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open checkpoint " + file, e);
        }
    }

    public long physicMsgTimestamp() {
        return buf.getLong(PHYSIC_TIMESTAMP);
    }

    public long logicsMsgTimestamp() {
        return buf.getLong(LOGICS_TIMESTAMP);
    }

    public long dispatchedOffset() {
        return buf.getLong(DISPATCHED_OFFSET);
    }

    public long indexMsgTimestamp() {
        return buf.getLong(INDEX_TIMESTAMP);
    }

    /** Commitlog offset known forced to disk when the checkpoint was written; 0 in older stores. */
    public long flushedCommitLogOffset() {
        return buf.getLong(FLUSHED_COMMITLOG_OFFSET);
    }

    /** Records the index's flush point; forced to disk by the next {@link #update}. */
    public synchronized void setIndexMsgTimestamp(long indexMsgTimestamp) {
        buf.putLong(INDEX_TIMESTAMP, indexMsgTimestamp);
    }

    /** Writes and forces the checkpoint. */
    public synchronized void update(long timestamp, long dispatchedOffset, long flushedCommitLogOffset) {
        buf.putLong(PHYSIC_TIMESTAMP, timestamp);
        buf.putLong(LOGICS_TIMESTAMP, timestamp);
        buf.putLong(DISPATCHED_OFFSET, dispatchedOffset);
        buf.putLong(FLUSHED_COMMITLOG_OFFSET, flushedCommitLogOffset);
        diskSync.force(file, buf, 0, SIZE);
    }

    /** Lowers the recorded offsets to at most {@code offset} (the commitlog was cut there) and forces. */
    public synchronized void lowerTo(long offset) {
        buf.putLong(DISPATCHED_OFFSET, Math.min(dispatchedOffset(), offset));
        buf.putLong(FLUSHED_COMMITLOG_OFFSET, Math.min(flushedCommitLogOffset(), offset));
        diskSync.force(file, buf, 0, SIZE);
    }

    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MappedFile.release(buf);
    }
}
