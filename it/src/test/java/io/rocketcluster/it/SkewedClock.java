package io.rocketcluster.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * A broker's wall clock that runs off by a skew a test sets while the broker runs: loaded by the broker (JVM
 * option {@code -Drocketcluster.faultInjection.clock=io.rocketcluster.it.SkewedClock}, this class on its
 * classpath), it adds the milliseconds written in the file named by {@code -DskewedClock.file} (re-read at
 * most every 100 ms; no file means no skew). Writing a new number makes the clock jump, forwards or back.
 * Uses only the JDK: it runs in the broker.
 */
public final class SkewedClock implements LongSupplier {
    static final String FILE = "skewedClock.file";
    private final Path file = Path.of(System.getProperty(FILE, "/nonexistent/skewedClock"));
    private volatile long skew;
    private volatile long readAt;

    @Override
    public long getAsLong() {
        long now = System.currentTimeMillis();
        if (now - readAt > 100 || now < readAt) {
            readAt = now;
            try {
                skew = Files.exists(file) ? Long.parseLong(Files.readString(file).trim()) : 0;
            } catch (IOException | NumberFormatException e) {
                // keep the last skew while the file is being rewritten
            }
        }
        return now + skew;
    }

    /** Sets the skew of every broker that reads {@code file}. */
    static void set(Path file, long skewMillis) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, Long.toString(skewMillis));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
