package io.rocketcluster.broker.util;

import io.rocketcluster.remoting.data.Json;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A JSON config file under {@code <store>/config/} written crash-safely as RocketMQ does: the new
 * content goes to {@code <file>.tmp}, the old one is kept as {@code <file>.bak}, then an atomic
 * rename. Loading falls back to the {@code .bak} copy when the main file is missing or unreadable.
 */
public final class JsonConfigFile<T> {
    private static final Logger LOG = LogManager.getLogger(JsonConfigFile.class);
    private final Path file;
    private final Class<T> type;

    public JsonConfigFile(Path file, Class<T> type) {
        this.file = file;
        this.type = type;
    }

    public Path path() {
        return file;
    }

    /** The stored value, or null when neither the file nor its backup can be read. */
    public T load() {
        for (Path p : new Path[]{file, file.resolveSibling(file.getFileName() + ".bak")}) {
            if (!Files.exists(p)) {
                continue;
            }
            try {
                String text = Files.readString(p);
                if (!text.isBlank()) {
                    return Json.decode(text, type);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot read {}: {}; trying the backup", p, e.getMessage());
            }
        }
        return null;
    }

    public synchronized void store(T value) {
        store(Json.pretty(value));
    }

    public synchronized void store(String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            if (Files.exists(file)) {
                Files.copy(file, file.resolveSibling(file.getFileName() + ".bak"), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
