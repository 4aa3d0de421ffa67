package io.rocketcluster.remoting.config;

import java.nio.file.Path;

/**
 * Where a server keeps its files when the config names no path: system property
 * {@code rocketcluster.home.dir}, else environment variable {@code ROCKETCLUSTER_HOME_DIR}, else
 * {@code ~/rocketcluster}. Never directly in the user's home.
 */
public final class HomeDir {
    private HomeDir() {
    }

    public static Path resolve(String... parts) {
        String base = System.getProperty("rocketcluster.home.dir");
        if (base == null || base.isBlank()) {
            base = System.getenv("ROCKETCLUSTER_HOME_DIR");
        }
        Path p = base == null || base.isBlank() ? Path.of(System.getProperty("user.home"), "rocketcluster") : Path.of(base);
        for (String part : parts) {
            p = p.resolve(part);
        }
        return p;
    }
}
