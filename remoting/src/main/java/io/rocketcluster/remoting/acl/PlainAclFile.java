package io.rocketcluster.remoting.acl;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code plain_acl.yml} a broker enforces (and a nameserver checks registrations against), found where
 * docs/acl.md §3.3 says (beside the server's {@code -c} file first, then {@code <ROCKETMQ_HOME>/conf/plain_acl.yml}, then the file named by
 * {@code -Drocketmq.acl.plain.file}), and reloaded when its content changes: {@link #poll} re-reads it
 * and swaps the rules only when the new file compiles, so a broken edit keeps the last good rules (and is
 * logged). Thread-safe.
 */
public final class PlainAclFile {
    private static final Logger LOG = LogManager.getLogger(PlainAclFile.class);
    public static final String FILE_NAME = "plain_acl.yml";
    public static final String FILE_PROPERTY = "rocketmq.acl.plain.file";

    private final Path path;
    private final AtomicReference<AclRules> rules = new AtomicReference<>();
    private volatile byte[] digest;
    private volatile PlainAclConfig.Version version = new PlainAclConfig.Version();

    private PlainAclFile(Path path) {
        this.path = path;
    }

    /**
     * The places a server looks for the file, in order.
     *
     * @param brokerConfigFile the server's {@code -c} file, or null
     * @param rocketmqHome     ROCKETMQ_HOME, or null
     */
    public static List<Path> candidates(String brokerConfigFile, String rocketmqHome) {
        List<Path> paths = new ArrayList<>();
        if (brokerConfigFile != null && !brokerConfigFile.isBlank()) {
            Path dir = Path.of(brokerConfigFile).toAbsolutePath().getParent();
            if (dir != null) {
                paths.add(dir.resolve(FILE_NAME));
            }
        }
        if (rocketmqHome != null && !rocketmqHome.isBlank()) {
            paths.add(Path.of(rocketmqHome, "conf", FILE_NAME));
        }
        String named = System.getProperty(FILE_PROPERTY);
        if (named != null && !named.isBlank()) {
            Path p = Path.of(named);
            paths.add(p.isAbsolute() || rocketmqHome == null ? p : Path.of(rocketmqHome).resolve(named.replaceFirst("^/+", "")));
        }
        return paths;
    }

    /**
     * Loads the first candidate that exists.
     *
     * @throws IllegalStateException when none exists or the file does not compile (the server must not start
     *                               believing it is protected)
     */
    public static PlainAclFile load(List<Path> candidates) {
        return load(candidates, "aclEnable=true");
    }

    /** As above; {@code enabledBy} (the setting that asked for the file) is named in errors. */
    public static PlainAclFile load(List<Path> candidates, String enabledBy) {
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                PlainAclFile f = new PlainAclFile(p);
                try {
                    f.reload(Files.readAllBytes(p));
                } catch (IOException | RuntimeException e) {
                    throw new IllegalStateException(enabledBy + " but " + p + " cannot be used: " + e.getMessage(), e);
                }
                LOG.info("{}: loaded {} ({} accounts)", enabledBy, p, f.rules().accountCount());
                return f;
            }
        }
        throw new IllegalStateException(enabledBy + " but no " + FILE_NAME + " was found; looked at " + candidates);
    }

    public Path path() {
        return path;
    }

    public AclRules rules() {
        return rules.get();
    }

    /** Re-reads the file if its content changed; keeps the current rules when it cannot be used. */
    public void poll() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            LOG.warn("cannot read {}; keeping the ACL loaded before: {}", path, e.toString());
            return;
        }
        if (Arrays.equals(sha256(bytes), digest)) {
            return;
        }
        try {
            reload(bytes);
            LOG.info("ACL reloaded from {} ({} accounts)", path, rules().accountCount());
        } catch (IOException | RuntimeException e) {
            digest = sha256(bytes); // log a broken edit once, not every poll
            LOG.error("{} changed but cannot be used; keeping the ACL loaded before: {}", path, e.getMessage());
        }
    }

    private void reload(byte[] bytes) throws IOException {
        PlainAclConfig config = PlainAclConfig.parse(new String(bytes, StandardCharsets.UTF_8));
        AclRules compiled = AclRules.compile(config);
        rules.set(compiled);
        version = config.dataVersion.isEmpty() ? new PlainAclConfig.Version() : config.dataVersion.get(0);
        digest = sha256(bytes);
    }

    /** The file's {@code dataVersion} as last loaded (counter 0 when it has none). */
    public PlainAclConfig.Version version() {
        return version;
    }

    /** The file as it is on disk now. */
    public synchronized PlainAclConfig read() throws IOException {
        return PlainAclConfig.parse(Files.readString(path));
    }

    /**
     * An ACL administration request: applies {@code change} to the file as it is on disk, checks that the
     * result compiles, bumps its {@code dataVersion} (counter + 1, timestamp {@code nowMillis}), writes it
     * (to a temporary file, then renamed over the old one) and enforces it at once. Comments in the file
     * are not kept.
     *
     * @throws IllegalArgumentException when the change would not compile (nothing is written)
     */
    public synchronized void update(java.util.function.Consumer<PlainAclConfig> change, long nowMillis) throws IOException {
        PlainAclConfig config = read();
        change.accept(config);
        AclRules.compile(config);
        PlainAclConfig.Version next = new PlainAclConfig.Version();
        next.counter = (config.dataVersion.isEmpty() ? 0 : config.dataVersion.get(0).counter) + 1;
        next.timestamp = nowMillis;
        config.dataVersion = new ArrayList<>(List.of(next));
        byte[] bytes = config.toYaml().getBytes(StandardCharsets.UTF_8);
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        reload(bytes);
        LOG.info("ACL changed by an administration request: {} (version {})", path, next.counter);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
