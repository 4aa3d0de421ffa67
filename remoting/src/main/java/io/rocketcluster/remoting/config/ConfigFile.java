package io.rocketcluster.remoting.config;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A small text file replaced as a whole, the way RocketMQ keeps its config files (docs/store-layout.md §10):
 * <pre>
 *   &lt;file&gt;.tmp   new content, written and forced to disk first
 *   &lt;file&gt;.bak   the previous content, copied aside before the swap
 *   &lt;file&gt;       atomically replaced by the .tmp, then the directory forced so the rename is durable
 * </pre>
 * Loading falls back to the {@code .bak} when the file is missing, empty or does not parse.
 *
 * <p>Thread-safe: stores are serialized.
 */
public final class ConfigFile {
    private static final Logger LOG = LogManager.getLogger(ConfigFile.class);

    /** Turns the file's text into a value; throws when the text is corrupt. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String text) throws Exception;
    }

    private final Path path;
    private final Path tmpPath;
    private final Path backupPath;

    public ConfigFile(Path path) {
        this.path = path.toAbsolutePath();
        this.tmpPath = Path.of(this.path + ".tmp");
        this.backupPath = Path.of(this.path + ".bak");
    }

    public Path path() {
        return path;
    }

    public Path backupPath() {
        return backupPath;
    }

    /**
     * The parsed content of the file, or of its backup when the file is missing, empty or corrupt;
     * empty when neither exists.
     *
     * @throws IOException when the content exists but neither the file nor its backup can be used
     */
    public <T> Optional<T> load(Parser<T> parser) throws IOException {
        String problem;
        if (Files.exists(path)) {
            try {
                String text = Files.readString(path, StandardCharsets.UTF_8);
                if (!text.isBlank()) {
                    return Optional.of(parser.parse(text));
                }
                problem = "is empty";
            } catch (Exception e) {
                problem = "is corrupt (" + e.getMessage() + ")";
            }
        } else {
            problem = "does not exist";
        }
        if (!Files.exists(backupPath)) {
            if (Files.exists(path)) {
                throw new IOException(path + " " + problem + " and there is no " + backupPath.getFileName());
            }
            return Optional.empty();
        }
        LOG.warn("{} {}; loading the backup {}", path, problem, backupPath);
        try {
            return Optional.of(parser.parse(Files.readString(backupPath, StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IOException(path + " " + problem + " and its backup " + backupPath
                    + " is corrupt too (" + e.getMessage() + ")", e);
        }
    }

    /** Replaces the file's content: write .tmp, copy the old file to .bak, rename .tmp over the file. */
    public synchronized void store(String content) throws IOException {
        Path dir = path.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        try (FileChannel ch = FileChannel.open(tmpPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        if (Files.exists(path)) {
            Files.copy(path, backupPath, StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            Files.move(tmpPath, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmpPath, path, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(dir);
    }

    /** Makes the rename itself durable (the directory entry), where the platform allows it. */
    private static void forceDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot force directory {}: {}", dir, e.toString());
        }
    }
}
