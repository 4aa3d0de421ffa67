package io.rocketcluster.operator.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The operator's own version (the Maven project version, written into a resource at build time). A
 * RocketCluster without spec.version runs the nameserver and broker images of the same release, never
 * a moving tag such as latest.
 */
public final class OperatorVersion {
    private static final String RESOURCE = "/META-INF/rocketcluster-operator.properties";
    private static final String VERSION = load();

    private OperatorVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = OperatorVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the operator's classpath");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version");
            if (v == null || v.isBlank() || v.startsWith("${")) {
                throw new IllegalStateException(RESOURCE + " has no version (resource filtering off?)");
            }
            return v.trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
