package io.rocketcluster.broker.store;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A read-only view of mapped store bytes that keeps its file mapped until {@link #release()}: a
 * reader (a pull, the HA stream, a zero-copy write that Netty completes later) holds the region for
 * as long as it touches {@link #buffer()}, and deleting or truncating the file meanwhile only
 * unmaps it once every region is released. Release exactly once (further calls are ignored).
 */
public final class SelectedRegion implements AutoCloseable {
    private final ByteBuffer buffer;
    private final MappedFile file;
    private final AtomicBoolean released = new AtomicBoolean();

    SelectedRegion(ByteBuffer buffer, MappedFile file) {
        this.buffer = buffer;
        this.file = file;
    }

    /** The bytes; valid until {@link #release()}. */
    public ByteBuffer buffer() {
        return buffer;
    }

    public int size() {
        return buffer.remaining();
    }

    /** Copies the bytes to the heap (for callers that keep them beyond the hold). */
    public ByteBuffer copy() {
        ByteBuffer out = ByteBuffer.allocate(buffer.remaining());
        out.put(0, buffer, buffer.position(), buffer.remaining());
        return out;
    }

    /** Lets the file go; the buffer must not be read afterwards. */
    public void release() {
        if (released.compareAndSet(false, true)) {
            file.release();
        }
    }

    @Override
    public void close() {
        release();
    }
}
