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
 * the JDK and broker-core's {@link DiskSync}: it runs in the broker, not next to the client.
 */
public final class FaultyDisk implements DiskSync {
    static final String TRIGGER = "faultyDisk.trigger";
    private final Path trigger = Path.of(System.getProperty(TRIGGER));

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
    }
}
