package io.rocketcluster.broker.ha;

import io.rocketcluster.remoting.config.ConfigFile;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A master's refusal to accept writes because a slave holds data its own log lacks (docs/replication.md
 * §9.3): an empty or rolled-back master that went on writing would make the two histories part for good.
 * Kept in {@code <storePathRootDir>/ha-fence} so a restart does not forget it. Raised when a slave's
 * handshake shows its history reaches past the master's; lifted when that slave's next handshake agrees
 * (after an operator resolved it, docs/replication.md §9.4), or by an administration request. Thread-safe.
 */
public final class WriteFence {
    private static final Logger LOG = LogManager.getLogger(WriteFence.class);
    private static final String CLEAR = "clear";

    private final ConfigFile file;
    private volatile String slave;
    private volatile String reason;

    private WriteFence(ConfigFile file, String slave, String reason) {
        this.file = file;
        this.slave = slave;
        this.reason = reason;
    }

    /** The fence in {@code file}; down when there is none. */
    public static WriteFence load(Path file) throws IOException {
        ConfigFile f = new ConfigFile(file);
        String text = f.load(t -> t).orElse(CLEAR).strip();
        if (text.equals(CLEAR)) {
            return new WriteFence(f, null, null);
        }
        int tab = text.indexOf('\t');
        WriteFence fence = new WriteFence(f, tab < 0 ? "?" : text.substring(0, tab), tab < 0 ? text : text.substring(tab + 1));
        LOG.error("writes are refused, as before the restart: {}", fence.refusal());
        return fence;
    }

    /** Why writes are refused, or null. */
    public String refusal() {
        String r = reason;
        return r == null ? null : "[HA_FENCED] this master refuses writes: " + slave + " holds data its log lacks ("
                + r + "); see docs/replication.md §9.4 (mqadmin haResolve)";
    }

    public boolean isRaised() {
        return reason != null;
    }

    /** {@code slave} (say "slave 1") holds data beyond this master's history. False when it already was so. */
    public synchronized boolean raise(String slave, String why) {
        if (why.equals(reason) && slave.equals(this.slave)) {
            return false;
        }
        store(slave + "\t" + why.replace('\n', ' '));
        this.slave = slave;
        this.reason = why;
        LOG.error("{}", refusal());
        return true;
    }

    /** {@code slave} follows this master again (its handshake agreed and it reported): lifts the fence it caused. */
    public synchronized void clearFor(String slave) {
        if (reason != null && slave.equals(this.slave)) {
            clear(slave + " agrees with this master's history and follows it");
        }
    }

    /** Lifts the fence whoever caused it (an administrator decided). */
    public synchronized void clear(String why) {
        if (reason == null) {
            return;
        }
        store(CLEAR);
        LOG.warn("writes accepted again: {}", why);
        reason = null;
        slave = null;
    }

    private void store(String text) {
        try {
            file.store(text + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file.path(), e);
        }
    }
}
