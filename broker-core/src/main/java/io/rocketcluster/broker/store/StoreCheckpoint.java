package io.rocketcluster.broker.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The 4096-byte {@code checkpoint} file (protocol.md §5.4), big-endian:
 * <pre>
 * offset  size  field
 * 0       8     physicMsgTimestamp   store time of the last commitlog byte flushed
 * 8       8     logicsMsgTimestamp   store time of the last consume-queue entry flushed
 * 16      8     indexMsgTimestamp    last index flush
 * 24      8     dispatchedOffset     commitlog offset up to which consume queues were flushed
 *                                    (RocketCluster's own; unused by RocketMQ 4.x)
 * </pre>
 * Recovery re-dispatches the commitlog from {@code dispatchedOffset}.
 */
public final class StoreCheckpoint {
    private static final int SIZE = 4096;
    private final FileChannel channel;
    private final MappedByteBuffer buf;

    public StoreCheckpoint(Path file) {
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            buf = channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open checkpoint " + file, e);
        }
    }

    public long physicMsgTimestamp() {
        return buf.getLong(0);
    }

    public long logicsMsgTimestamp() {
        return buf.getLong(8);
    }

    public long dispatchedOffset() {
        return buf.getLong(24);
    }

    public long indexMsgTimestamp() {
        return buf.getLong(16);
    }

    /** Records the index's flush point; forced to disk by the next {@link #update}. */
    public synchronized void setIndexMsgTimestamp(long indexMsgTimestamp) {
        buf.putLong(16, indexMsgTimestamp);
    }

    public synchronized void update(long physicTimestamp, long logicsTimestamp, long dispatchedOffset) {
        buf.putLong(0, physicTimestamp);
        buf.putLong(8, logicsTimestamp);
        buf.putLong(24, dispatchedOffset);
        buf.force();
    }

    public void close() {
        try {
            buf.force();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
