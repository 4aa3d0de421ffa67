package io.rocketcluster.remoting.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * A container healthcheck for images without a shell or curl: asks this container's metrics port
 * and exits 0 when the answer is 200, else 1 (with the reason on stderr). Uses java.base only, so
 * it starts in about 0.1-0.3 s.
 *
 * <pre>
 *   java -cp @/app/jib-classpath-file io.rocketcluster.remoting.metrics.HealthProbe [port] [path]
 * </pre>
 * {@code port} defaults to 10915 (a broker on 10911), {@code path} to {@code /health/ready}.
 */
public final class HealthProbe {
    private HealthProbe() {
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 10915;
        String path = args.length > 1 ? args[1] : "/health/ready";
        int code = probe(port, path);
        System.exit(code == 200 ? 0 : 1);
    }

    /** The HTTP status of {@code GET http://127.0.0.1:port/path}, or -1 when it cannot be had. */
    static int probe(int port, String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL()
                    .openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(2000);
            int status = c.getResponseCode();
            if (status != 200) {
                try (InputStream err = c.getErrorStream()) {
                    System.err.println(path + ": " + status + " "
                            + (err == null ? "" : new String(err.readAllBytes()).trim()));
                }
            }
            c.disconnect();
            return status;
        } catch (IOException | RuntimeException e) {
            System.err.println(path + ": " + e);
            return -1;
        }
    }
}
