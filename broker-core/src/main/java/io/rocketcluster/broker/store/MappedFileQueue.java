package io.rocketcluster.broker.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A log stored as a directory of equally sized {@link MappedFile}s with contiguous offsets: file k
 * starts at {@code k * fileSize}. Appends go to the last file; lookups by log offset find the file.
 * Reads are thread-safe; structural changes (roll, truncate, delete) are made by the single writer.
 */
public final class MappedFileQueue {
    private final Path dir;
    private final int fileSize;
    private final DiskSync diskSync;
    private final List<MappedFile> files = new CopyOnWriteArrayList<>();

    public MappedFileQueue(Path dir, int fileSize, DiskSync diskSync) {
        this.dir = dir;
        this.fileSize = fileSize;
        this.diskSync = diskSync;
    }

    /**
     * Maps the existing files, each assumed full; recovery then fixes the last positions. When
     * {@code onDisk} is false (after a crash) nothing loaded counts as flushed: the next flush forces it.
     */
    public void load(boolean onDisk) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().matches("\\d{20}")).sorted().forEach(paths::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        for (Path p : paths) {
            try {
                if (Files.size(p) != fileSize) {
                    throw new IllegalStateException(p + " has " + Files.size(p) + " bytes, expected "
                            + fileSize + " (was mappedFileSize changed?)");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            MappedFile f = new MappedFile(p, fileSize, diskSync);
            if (onDisk) {
                f.setPositions(fileSize);
            } else {
                f.setPositionsUnforced(fileSize);
            }
            files.add(f);
        }
    }

    public Path dir() {
        return dir;
    }

    public int fileSize() {
        return fileSize;
    }

    public List<MappedFile> files() {
        return files;
    }

    public boolean isEmpty() {
        return files.isEmpty();
    }

    /** The first file, or null; safe while another thread deletes files (retention, a deleted topic). */
    public MappedFile first() {
        for (MappedFile f : files) {
            return f;
        }
        return null;
    }

    /** The last file, or null; safe while another thread deletes files. */
    public MappedFile last() {
        while (true) {
            int n = files.size();
            if (n == 0) {
                return null;
            }
            try {
                return files.get(n - 1);
            } catch (IndexOutOfBoundsException e) {
                // shrunk between size() and get(): look again
            }
        }
    }

    /** The file to append to, creating the next one when the last is full (or the first at {@code startOffset}). */
    public MappedFile lastForWrite(long startOffset) {
        MappedFile last = last();
        if (last != null && !last.isFull()) {
            return last;
        }
        long from = last == null ? startOffset - (startOffset % fileSize) : last.fileFromOffset() + fileSize;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        MappedFile f = new MappedFile(dir.resolve(MappedFile.fileName(from)), fileSize, diskSync);
        files.add(f);
        return f;
    }

    /** The file holding log offset {@code offset}, or null. */
    public MappedFile find(long offset) {
        MappedFile first = first();
        if (first == null || offset < first.fileFromOffset()) {
            return null;
        }
        int index = (int) ((offset - first.fileFromOffset()) / fileSize);
        try {
            MappedFile f = files.get(index);
            if (offset >= f.fileFromOffset() && offset < f.fileFromOffset() + fileSize) {
                return f;
            }
        } catch (IndexOutOfBoundsException e) {
            // retention or truncation changed the list since first() was read
        }
        for (MappedFile f : files) { // the list changed under us: look it up in a consistent snapshot
            if (offset >= f.fileFromOffset() && offset < f.fileFromOffset() + fileSize) {
                return f;
            }
        }
        return null;
    }

    public long minOffset() {
        MappedFile first = first();
        return first == null ? 0 : first.fileFromOffset();
    }

    /** Offset just past the last written byte. */
    public long maxOffset() {
        MappedFile last = last();
        return last == null ? 0 : last.fileFromOffset() + last.wrotePosition();
    }

    public long flush(int leastPages) {
        MappedFile last = last();
        long flushedTo = 0;
        for (MappedFile f : files) {
            if (f.flushedPosition() < f.wrotePosition()) {
                f.flush(f == last ? leastPages : 0);
            }
            flushedTo = f.fileFromOffset() + f.flushedPosition();
        }
        return flushedTo;
    }

    /**
     * Cuts the log at {@code offset}: later files are destroyed (unmapped once their readers are
     * done), the file holding it is truncated. Caller serialises this with appends.
     */
    public void truncate(long offset) {
        for (MappedFile f : new ArrayList<>(files)) {
            if (f.fileFromOffset() > offset) {
                files.remove(f);
                f.destroy();
            } else if (offset < f.fileFromOffset() + fileSize) {
                f.truncate((int) (offset - f.fileFromOffset()));
            }
        }
    }

    /** Removes and destroys the first file (retention); it is unmapped once its readers are done. */
    public MappedFile deleteFirst() {
        MappedFile f = first();
        if (f != null) {
            files.remove(f);
            f.destroy();
        }
        return f;
    }

    /** Destroys every file (a deleted topic's queue); each is unmapped once its readers are done. */
    public void destroyAll() {
        for (MappedFile f : files) {
            f.destroy();
        }
        files.clear();
    }

    /** Drops every mapping without forcing (a simulated crash). */
    void abandon() {
        files.forEach(MappedFile::abandon);
        files.clear();
    }

    public void close() {
        for (MappedFile f : files) {
            f.close(false);
        }
        files.clear();
    }
}
