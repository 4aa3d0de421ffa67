package io.rocketcluster.broker.ha;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * RocketMQ 4.x master/slave replication stream (docs/replication.md §2), raw TCP on the master's
 * {@code listenPort+1}, big-endian, no handshake.
 * <pre>
 * slave → master, every report 8 bytes:
 *   0   8   the slave's commitlog max offset (0 = empty: start at the master's newest file)
 *
 * master → slave, every frame 12 + n bytes:
 *   0   8   commitlog offset of the first data byte
 *   8   4   n, the number of data bytes (0 = heartbeat)
 *   12  n   commitlog bytes, verbatim, never spanning two commitlog files
 * </pre>
 */
final class HaProtocol {
    static final int REPORT_SIZE = 8;
    static final int FRAME_HEADER_SIZE = 12;

    /** A {@link #monotonicMillis} time before any real one: "never", without overflow in {@code now - t}. */
    static final long LONG_AGO = Long.MIN_VALUE / 4;

    private HaProtocol() {
    }

    /**
     * Milliseconds for heartbeats and timeouts: monotonic, so a wall clock that steps (NTP, a skewed or
     * reset clock) neither drops a live link nor keeps a dead one. Only differences are meaningful.
     */
    static long monotonicMillis() {
        return System.nanoTime() / 1_000_000L;
    }

    /** The header of a master frame. */
    record FrameHeader(long offset, int size) {
    }

    /**
     * The header of the master frame at the reader index of {@code in} once the whole frame (header and
     * data) is buffered, else null; moves no index. A negative offset, or a size below 0 or above
     * {@code maxSize} (the slave's commitlog file size: a frame never spans two files), is no frame:
     * {@link CorruptedFrameException}, before anything waits for that many bytes.
     */
    static FrameHeader peekFrame(ByteBuf in, int maxSize) {
        if (in.readableBytes() < FRAME_HEADER_SIZE) {
            return null;
        }
        long offset = in.getLong(in.readerIndex());
        int size = in.getInt(in.readerIndex() + 8);
        if (offset < 0 || size < 0 || size > maxSize) {
            throw new CorruptedFrameException("HA frame at offset " + offset + " of " + size
                    + " bytes (at most " + maxSize + ")");
        }
        return in.readableBytes() - FRAME_HEADER_SIZE < size ? null : new FrameHeader(offset, size);
    }
}
