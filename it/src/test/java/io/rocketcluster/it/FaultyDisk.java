package io.rocketcluster.it;

import io.rocketcluster.broker.store.DiskSync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A failing disk for a real broker JVM: loaded by the broker (JVM option
 * {@code -Drocketcluster.faultInjection.diskSync=io.rocketcluster.it.FaultyDisk}, this class on its
 * classpath). Forces work normally until the file named by {@code -DfaultyDisk.trigger} exists; then
 * every force fails with an I/O error, or with an Error when the file says {@code error}; a second
 * word limits the failures to files whose path contains it (say {@code error commitlog}). Uses only
 * the JDK and broker-core's {@link DiskSync}: it runs in the broker, not next to the client. With
 * {@code -DfaultyDisk.shadow=dir} it also records what was forced, so a test can cut the power.
 */
public final class FaultyDisk implements DiskSync {
    static final String TRIGGER = "faultyDisk.trigger";
    /** When set, every forced range is also written to a shadow copy under this directory (see {@link #powerLoss}). */
    static final String SHADOW = "faultyDisk.shadow";
    private final Path trigger = Path.of(System.getProperty(TRIGGER, "/nonexistent/faultyDisk.trigger"));
    private final Path shadowRoot = System.getProperty(SHADOW) == null ? null : Path.of(System.getProperty(SHADOW));

    @Override
    public void force(Path file, MappedByteBuffer buffer, int offset, int length) {
        if (Files.exists(trigger)) {
            String[] words;
            try {
                words = Files.readString(trigger).trim().split("\\s+");
            } catch (IOException e) {
                words = new String[]{"io"};
            }
            if (words.length > 1 && !file.toString().contains(words[1])) {
                buffer.force(offset, length);
                return;
            }
            if (words[0].equals("error")) {
                throw new InternalError("a fault occurred in an unsafe memory access operation (fault injection)");
            }
            throw new UncheckedIOException(new IOException("Input/output error (fault injection) forcing " + file));
        }
        buffer.force(offset, length);
        if (shadowRoot != null) {
            shadow(file, buffer, offset, length);
        }
    }

    /** Keeps what reached the disk: the forced range, at its place in a same-sized shadow file. */
    private synchronized void shadow(Path file, MappedByteBuffer buffer, int offset, int length) {
        Path copy = shadowOf(shadowRoot, file);
        try {
            Files.createDirectories(copy.getParent());
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(copy,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
                if (ch.size() < buffer.capacity()) {
                    ch.write(java.nio.ByteBuffer.allocate(1), buffer.capacity() - 1);
                }
                ch.write(buffer.duplicate().position(offset).limit(offset + length), offset);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path shadowOf(Path shadowRoot, Path file) {
        return shadowRoot.resolve(file.toAbsolutePath().toString().substring(1));
    }

    /**
     * After the broker was killed: every mapped store file under {@code store} (commitlog, consume
     * queues, index, checkpoint) keeps only what was forced; a file never forced disappears. That is
     * what a power cut leaves. Runs in the test, not in the broker.
     */
    static void powerLoss(Path store, Path shadowRoot) throws IOException {
        java.util.List<Path> files;
        try (java.util.stream.Stream<Path> walk = Files.walk(store)) {
            files = walk.filter(Files::isRegularFile).filter(p -> {
                String name = p.getFileName().toString();
                return name.equals("checkpoint") || name.matches("\\d{17,20}");
            }).toList();
        }
        for (Path p : files) {
            Path copy = shadowOf(shadowRoot, p);
            if (Files.exists(copy)) {
                Files.copy(copy, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.delete(p);
            }
        }
    }
}
