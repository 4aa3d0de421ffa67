package io.rocketcluster.broker.store;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One fixed-size, memory-mapped segment of a log. Its name is the 20-digit, zero-padded log offset
 * of its first byte. Appends happen at {@link #wrotePosition()} by one writer at a time (the owner
 * serialises them); bytes below the published write position may be read from any thread.
 *
 * <p><b>Lifecycle.</b> The mapping is reference-counted. The owner holds one reference from
 * construction until {@link #destroy()} or {@link #close}; every reader, the flusher and a
 * writer that may race with a deletion take their own with {@link #hold()} (or through a
 * {@link SelectedRegion}) and give it back with {@link #release()}. {@link #destroy()} deletes the
 * file from the disk at once (Linux keeps the mapping valid), refuses new holds, and unmaps only when
 * the last reference is released. So deleting a topic, truncating a slave or retention never unmap
 * memory that somebody is reading: touching an unmapped buffer would crash the JVM.
 */
public final class MappedFile {
    private static final Logger LOG = LogManager.getLogger(MappedFile.class);
    private static final int TRUNCATE_WINDOW = 16 * 1024 * 1024 + 4096;
    private final Path path;
    private final long fileFromOffset;
    private final int fileSize;
    private final DiskSync diskSync;
    private final FileChannel channel;
    private final MappedByteBuffer mapped;
    /** The owner's reference plus one per holder; 0 = unmapped. */
    private final AtomicInteger refs = new AtomicInteger(1);
    private final AtomicBoolean destroyed = new AtomicBoolean();
    private volatile boolean deleteOnUnmap;
    private volatile int wrotePosition;
    private volatile int flushedPosition;
    private volatile long lastModifiedMillis;

    public MappedFile(Path path, int fileSize) {
        this(path, fileSize, DiskSync.SYSTEM);
    }

    public MappedFile(Path path, int fileSize, DiskSync diskSync) {
        this.path = path;
        this.fileSize = fileSize;
        this.diskSync = diskSync;
        this.fileFromOffset = Long.parseLong(path.getFileName().toString());
        try {
            this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            this.mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, fileSize);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + path, e);
        }
        this.lastModifiedMillis = path.toFile().lastModified();
    }

    public static String fileName(long offset) {
        return String.format("%020d", offset);
    }

    public Path path() {
        return path;
    }

    public long fileFromOffset() {
        return fileFromOffset;
    }

    public int fileSize() {
        return fileSize;
    }

    public int wrotePosition() {
        return wrotePosition;
    }

    public int remaining() {
        return fileSize - wrotePosition;
    }

    public boolean isFull() {
        return wrotePosition >= fileSize;
    }

    public int flushedPosition() {
        return flushedPosition;
    }

    public long lastModifiedMillis() {
        return lastModifiedMillis;
    }

    /** Takes a reference; false once the file is destroyed (then nothing may be read). */
    public boolean hold() {
        if (destroyed.get()) {
            return false;
        }
        while (true) {
            int r = refs.get();
            if (r <= 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    /** Gives back a reference from {@link #hold()}; the last one unmaps a destroyed file. */
    public void release() {
        int r = refs.decrementAndGet();
        if (r == 0) {
            unmapAndClose();
        } else if (r < 0) {
            throw new IllegalStateException("released more often than held: " + path);
        }
    }

    /** Number of references (the owner's included) while mapped, 0 after unmapping. */
    public int references() {
        return Math.max(0, refs.get());
    }

    /** Whether {@link #destroy()} was called. */
    public boolean isDestroyed() {
        return destroyed.get();
    }

    /**
     * A held read-only view of {@code [pos, pos+size)}, or null when the file is being destroyed.
     * The caller releases it.
     */
    public SelectedRegion select(int pos, int size) {
        if (!hold()) {
            return null;
        }
        return new SelectedRegion(mapped.slice(pos, size).asReadOnlyBuffer(), this);
    }

    /**
     * A heap copy of {@code [pos, pos+size)}, or null when the file is being destroyed. For small
     * reads (queue entries, one record header) that are not worth a hold across calls.
     */
    public ByteBuffer copy(int pos, int size) {
        if (!hold()) {
            return null;
        }
        try {
            ByteBuffer out = ByteBuffer.allocate(size);
            out.put(0, mapped, pos, size);
            return out;
        } finally {
            release();
        }
    }

    /**
     * An unheld view for the file's owner only, while it knows the file cannot be destroyed
     * (start-up, or under the lock that serialises destruction).
     */
    ByteBuffer ownerSlice(int pos, int size) {
        return mapped.slice(pos, size).asReadOnlyBuffer();
    }

    /** Copies {@code src} at the write position and publishes it. Caller serialises appends. */
    public void append(ByteBuffer src) {
        int pos = wrotePosition;
        int n = src.remaining();
        if (n > fileSize - pos) {
            throw new IllegalStateException("append of " + n + " bytes overflows " + path);
        }
        mapped.put(pos, src, src.position(), n);
        wrotePosition = pos + n;
    }

    /** Writes {@code src} at {@code pos} without moving the write position beyond what it covers. */
    public void writeAt(int pos, ByteBuffer src) {
        int n = src.remaining();
        mapped.put(pos, src, src.position(), n);
        if (pos + n > wrotePosition) {
            wrotePosition = pos + n;
        }
    }

    /** Fills the rest of the file as consumed (after a blank marker), so the next append rolls. */
    public void markFull() {
        wrotePosition = fileSize;
    }

    /**
     * Forces written bytes to disk when at least {@code leastPages} 4 KiB pages are dirty (0 = always).
     * A destroyed file is skipped. An I/O error propagates (the store then stops taking writes).
     * Serialised with {@link #truncate}: a flush finishing after a truncation must not claim the
     * truncated range as flushed (the entries written there next would never be forced).
     */
    public synchronized int flush(int leastPages) {
        int wrote = wrotePosition;
        int flushed = flushedPosition;
        if (wrote > flushed && (leastPages <= 0 || (wrote / 4096) - (flushed / 4096) >= leastPages)) {
            if (!hold()) {
                return flushedPosition;
            }
            try {
                diskSync.force(path, mapped, flushed, wrote - flushed);
            } finally {
                release();
            }
            flushedPosition = wrote;
            lastModifiedMillis = System.currentTimeMillis();
        }
        return flushedPosition;
    }

    /**
     * Moves the write position back to {@code pos}, zeroes everything after it and forces the zeroed
     * bytes: a truncation (recovery of a torn tail, a slave cut to its master's end) must survive a
     * power loss, or the dropped bytes come back after it.
     */
    public synchronized void truncate(int pos) {
        // Zero what a torn append may have left (bounded by the largest frame), touching only
        // non-zero bytes so that untouched pages stay clean.
        int end = (int) Math.min(fileSize, (long) pos + TRUNCATE_WINDOW);
        int lastZeroed = -1;
        for (int i = pos; i < end; i++) {
            if (mapped.get(i) != 0) {
                mapped.put(i, (byte) 0);
                lastZeroed = i;
            }
        }
        wrotePosition = pos;
        flushedPosition = Math.min(flushedPosition, pos);
        if (lastZeroed >= 0) {
            diskSync.force(path, mapped, pos, lastZeroed + 1 - pos);
        }
    }

    /** Sets positions after loading an existing file whose valid length is known. */
    public void setPositions(int pos) {
        wrotePosition = pos;
        flushedPosition = pos;
    }

    /**
     * Sets positions after loading a file whose bytes may still be only in the page cache (the last
     * stop was a crash): the next flush forces all of {@code [0, pos)}.
     */
    public void setPositionsUnforced(int pos) {
        wrotePosition = pos;
        flushedPosition = 0;
    }

    /**
     * Deletes the file from the disk now and drops the owner's reference: the mapping goes when the
     * last holder releases it. New holds fail from now on. Idempotent.
     */
    public void destroy() {
        if (!destroyed.compareAndSet(false, true)) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // unlinking failed (read-only mount?): try again when the mapping goes
            deleteOnUnmap = true;
            LOG.warn("cannot delete {} now ({}); retrying when it is unmapped", path, e.toString());
        }
        release();
    }

    /** Modification time of the file on disk (what retention compares with fileReservedTime). */
    public long fileModifiedMillis() {
        return path.toFile().lastModified();
    }

    /**
     * Shutdown: forces what is written, then drops the owner's reference (unmapping once readers are
     * done); deletes the file when {@code delete}.
     */
    public void close(boolean delete) {
        if (delete) {
            destroy();
            return;
        }
        if (destroyed.get()) {
            return;
        }
        try {
            flush(0);
        } finally {
            if (destroyed.compareAndSet(false, true)) {
                release();
            }
        }
    }

    /** Drops the owner's reference without forcing anything (a simulated crash). */
    void abandon() {
        if (destroyed.compareAndSet(false, true)) {
            release();
        }
    }

    private void unmapAndClose() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("cannot close {}: {}", path, e.toString());
        }
        release(mapped);
        if (deleteOnUnmap) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.error("cannot delete {}: {}", path, e.toString());
            }
        }
    }

    /** Releases a mapping now; nothing may read the buffer afterwards. */
    public static void release(MappedByteBuffer buffer) {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field f = unsafeClass.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            Method clean = unsafeClass.getMethod("invokeCleaner", ByteBuffer.class);
            clean.invoke(f.get(null), buffer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // the mapping is released when the buffer is collected
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
