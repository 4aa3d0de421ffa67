package io.rocketcluster.broker.store;

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

/**
 * One fixed-size, memory-mapped segment of a log. Its name is the 20-digit, zero-padded log offset
 * of its first byte. Appends happen at {@link #wrotePosition()} by one writer at a time (the owner
 * serialises them); reads of bytes below the published write position are safe from any thread.
 */
public final class MappedFile {
    private static final int TRUNCATE_WINDOW = 16 * 1024 * 1024 + 4096;
    private final Path path;
    private final long fileFromOffset;
    private final int fileSize;
    private final FileChannel channel;
    private final MappedByteBuffer mapped;
    private volatile int wrotePosition;
    private volatile int flushedPosition;
    private volatile long lastModifiedMillis;

    public MappedFile(Path path, int fileSize) {
        this.path = path;
        this.fileSize = fileSize;
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

    /** A read-only view of {@code [pos, pos+size)}; independent of other readers. */
    public ByteBuffer slice(int pos, int size) {
        return mapped.slice(pos, size).asReadOnlyBuffer();
    }

    /** Forces written bytes to disk when at least {@code leastPages} 4 KiB pages are dirty (0 = always). */
    public int flush(int leastPages) {
        int wrote = wrotePosition;
        int flushed = flushedPosition;
        if (wrote > flushed && (leastPages <= 0 || (wrote / 4096) - (flushed / 4096) >= leastPages)) {
            mapped.force(flushed, wrote - flushed);
            flushedPosition = wrote;
            lastModifiedMillis = System.currentTimeMillis();
        }
        return flushedPosition;
    }

    /** Moves the write position back to {@code pos} and zeroes everything after it (recovery). */
    public void truncate(int pos) {
        // Zero what a torn append may have left (bounded by the largest frame), touching only
        // non-zero bytes so that untouched pages stay clean.
        int end = (int) Math.min(fileSize, (long) pos + TRUNCATE_WINDOW);
        for (int i = pos; i < end; i++) {
            if (mapped.get(i) != 0) {
                mapped.put(i, (byte) 0);
            }
        }
        wrotePosition = pos;
        flushedPosition = Math.min(flushedPosition, pos);
    }

    /** Sets positions after loading an existing file whose valid length is known. */
    public void setPositions(int pos) {
        wrotePosition = pos;
        flushedPosition = pos;
    }

    /**
     * Deletes the file but keeps the mapping for readers that may still hold slices of it; the caller
     * unmaps later with {@link #unmap()} (the disk space is freed then).
     */
    public void deleteKeepingMapping() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    /** Releases the mapping; no slice of this file may be read afterwards. */
    public void unmap() {
        release(mapped);
    }

    /** Modification time of the file on disk (what retention compares with fileReservedTime). */
    public long fileModifiedMillis() {
        return path.toFile().lastModified();
    }

    /** Unmaps and closes; deletes the file when {@code delete}. */
    public void close(boolean delete) {
        try {
            if (channel.isOpen()) {
                mapped.force();
                channel.close();
            }
            release(mapped);
            if (delete) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + path, e);
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
