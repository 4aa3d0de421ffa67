package io.rocketcluster.broker.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A {@link DiskSync} for fault tests. It forces for real and also keeps, per file, a shadow copy of
 * exactly the bytes that were forced; {@link #powerLoss(Path)} then rewrites every store file from
 * its shadow (a file never forced disappears), which is what survives a power cut: nothing that was
 * not forced. {@link #failWith} makes every later force throw, as a dying disk would.
 */
final class SimulatedDisk implements DiskSync {
    private final Map<Path, byte[]> forced = new ConcurrentHashMap<>();
    private volatile Supplier<? extends Throwable> failure;
    private volatile int forces;

    @Override
    public void force(Path file, MappedByteBuffer buffer, int offset, int length) {
        Supplier<? extends Throwable> f = failure;
        if (f != null) {
            Throwable t = f.get();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) t;
        }
        buffer.force(offset, length);
        synchronized (this) {
            byte[] shadow = forced.computeIfAbsent(file.toAbsolutePath(), p -> new byte[buffer.capacity()]);
            buffer.get(offset, shadow, offset, length);
            forces++;
        }
    }

    /** Every force from now on throws what {@code failure} supplies (an UncheckedIOException or an Error). */
    void failWith(Supplier<? extends Throwable> failure) {
        this.failure = failure;
    }

    static Supplier<Throwable> ioError() {
        return () -> new UncheckedIOException(new IOException("Input/output error (simulated)"));
    }

    int forces() {
        return forces;
    }

    /**
     * After the store was abandoned (its process died): every mapped store file under {@code root}
     * (commitlog, consume queues, index, checkpoint) keeps only what was forced. The abort marker,
     * lock and config files are left alone: the store forces or does not rely on them.
     */
    synchronized void powerLoss(Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).filter(SimulatedDisk::isMappedStoreFile).toList();
        }
        for (Path p : files) {
            byte[] shadow = forced.get(p.toAbsolutePath());
            if (shadow == null) {
                Files.delete(p);
            } else {
                Files.write(p, shadow);
            }
        }
    }

    private static boolean isMappedStoreFile(Path p) {
        String name = p.getFileName().toString();
        return name.equals("checkpoint") || name.matches("\\d{17,20}");
    }
}
