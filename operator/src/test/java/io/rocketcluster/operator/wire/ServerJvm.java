package io.rocketcluster.operator.wire;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A RocketCluster nameserver or broker in its own JVM, started from the jars the build packaged
 * ({@code <module>/target/<module>.jar} + {@code <module>/target/lib/*}), as bin/ runs them. Its files
 * live in a fresh work directory ({@code ROCKETCLUSTER_HOME_DIR} and {@code user.home} point there), its
 * output goes to {@code <work>/<name>.log}, and it counts as started once its {@code /health/ready}
 * answers 200. {@link #close()} SIGKILLs the one process it started (by its handle, never by name) and
 * deletes the work directory.
 *
 * <p>Self-contained on purpose: the operator module does not share the it/ module's launcher.
 */
final class ServerJvm implements AutoCloseable {
    private static final String LOOPBACK = "127.0.0.1";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    /** Variables that would configure the child behind the test's back (RC_<key>, NAMESRV_ADDR, ...). */
    private static final List<String> INHERITED_CONFIG = List.of("NAMESRV_ADDR", "ROCKETMQ_HOME",
            "ROCKETCLUSTER_LOGS_DIR", "ROCKETCLUSTER_LOG_TARGET", "ROCKETMQ_SERIALIZE_TYPE");

    private final String name;
    private final Path work;
    private final int port;
    private final int metricsPort;
    private final Process process;

    private ServerJvm(String name, Path work, int port, int metricsPort, Process process) {
        this.name = name;
        this.work = work;
        this.port = port;
        this.metricsPort = metricsPort;
        this.process = process;
    }

    /** Starts a nameserver on free ports (listenPort p, metrics p+1000) and waits until it is ready. */
    static ServerJvm namesrv(String name) throws IOException {
        return startWithRetry(name, "namesrv-core", "io.rocketcluster.namesrv.NamesrvStartup", () -> {
            int p = freePorts(0, 1000);
            return new Ports(p, p + 1000);
        }, (work, ports) -> {
            Map<String, String> c = new LinkedHashMap<>();
            c.put("listenPort", String.valueOf(ports.listen));
            return c;
        });
    }

    /**
     * Starts a master broker on free ports (listenPort p; p-2 fast channel, p+1 HA, p+4 metrics),
     * registering with {@code namesrvAddr}, and waits until it is ready (store recovered, registered).
     */
    static ServerJvm broker(String name, String namesrvAddr, Map<String, String> overrides) throws IOException {
        return startWithRetry(name, "broker-core", "io.rocketcluster.broker.BrokerStartup", () -> {
            int p = freePorts(-2, 1, 4);
            return new Ports(p, p + 4);
        }, (work, ports) -> {
            Map<String, String> c = new LinkedHashMap<>();
            c.put("namesrvAddr", namesrvAddr);
            c.put("brokerIP1", LOOPBACK);
            c.put("brokerIP2", LOOPBACK);
            c.put("brokerClusterName", "WireCluster");
            c.put("brokerName", name);
            c.put("brokerId", "0");
            c.put("listenPort", String.valueOf(ports.listen));
            // storePathRootDir is left to ROCKETCLUSTER_HOME_DIR on purpose (see start)
            c.put("mappedFileSizeCommitLog", String.valueOf(64 * 1024 * 1024));
            c.put("mappedFileSizeConsumeQueue", String.valueOf(30000 * 20));
            c.put("sendMessageThreadPoolNums", "2");
            c.putAll(overrides);
            return c;
        });
    }

    String addr() {
        return LOOPBACK + ":" + port;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** The last {@code lines} lines the server printed. */
    String tail(int lines) {
        Path log = work.resolve(name + ".log");
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + log + ": " + e + ")";
        }
    }

    /** SIGKILL to the process this object started, then the work directory goes. Idempotent. */
    @Override
    public void close() {
        try {
            kill(process);
        } finally {
            deleteTree(work);
        }
    }

    private record Ports(int listen, int metrics) {
    }

    private interface PortPicker {
        Ports pick();
    }

    private interface ConfigMaker {
        Map<String, String> make(Path work, Ports ports);
    }

    /** A port race with another test JVM shows as a bind failure at boot: pick new ports and try again. */
    private static ServerJvm startWithRetry(String name, String module, String mainClass, PortPicker picker,
                                            ConfigMaker config) throws IOException {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return start(name, module, mainClass, picker.pick(), config);
            } catch (PortTaken e) {
                last = e;
            }
        }
        throw last;
    }

    private static ServerJvm start(String name, String module, String mainClass, Ports ports, ConfigMaker config)
            throws IOException {
        Path target = root().resolve(module).resolve("target");
        Path jar = target.resolve(module + ".jar");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(target.resolve("lib"))) {
            throw new IllegalStateException(jar + " (or its lib/) is missing: package " + module
                    + " first (mvn -pl " + module + " package -DskipTests)");
        }
        Path work = Files.createTempDirectory("rc-wire-" + name + "-");
        ServerJvm server = null;
        try {
            Path home = Files.createDirectories(work.resolve("home"));
            Path conf = work.resolve(name + ".conf");
            Files.writeString(conf, config.make(work, ports).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Drocketcluster.log.target=console", "-Duser.home=" + home,
                    "-cp", jar + File.pathSeparator + target.resolve("lib") + "/*", mainClass,
                    "-c", conf.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(work.resolve(name + ".log").toFile());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.toUpperCase(Locale.ROOT).startsWith("RC_") || INHERITED_CONFIG.contains(k));
            env.put("ROCKETCLUSTER_HOME_DIR", home.toString());
            server = new ServerJvm(name, work, ports.listen, ports.metrics, pb.start());
            STARTED.add(server.process);
            server.awaitReady();
            return server;
        } catch (RuntimeException | IOException | Error e) {
            if (server != null) {
                server.close();
            } else {
                deleteTree(work);
            }
            throw e;
        }
    }

    /** Polls {@code GET /health/ready} until 200; fails at once (with the log) if the JVM exits. */
    private void awaitReady() {
        URI ready = URI.create("http://" + LOOPBACK + ":" + metricsPort + "/health/ready");
        await(name + " /health/ready on " + metricsPort).atMost(Duration.ofSeconds(90))
                .pollDelay(Duration.ofMillis(100)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    if (!process.isAlive()) {
                        String log = tail(60);
                        if (log.contains("Address already in use") || log.contains("BindException")) {
                            throw new PortTaken(name + " lost a port race:\n" + log);
                        }
                        throw new IllegalStateException(name + " exited with " + process.exitValue()
                                + " before it was ready:\n" + log);
                    }
                    try {
                        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2))
                                .GET().build(), HttpResponse.BodyHandlers.discarding());
                        return r.statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    private static final class PortTaken extends IllegalStateException {
        PortTaken(String message) {
            super(message);
        }
    }

    /** The repository root: {@code -Drocketcluster.root}, else the nearest ancestor holding both server modules. */
    static Path root() {
        String configured = System.getProperty("rocketcluster.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("broker-core/pom.xml")) && Files.isRegularFile(p.resolve("namesrv-core/pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no RocketCluster checkout above " + dir + " (set -Drocketcluster.root)");
    }

    /**
     * A free loopback port p in 20000..31999 (below Linux's ephemeral range) such that p+d is free too
     * for every {@code d} in {@code alsoFree}.
     */
    static int freePorts(int... alsoFree) {
        for (int attempt = 0; attempt < 500; attempt++) {
            int p = 20000 + ThreadLocalRandom.current().nextInt(12000);
            boolean ok = free(p);
            for (int d : alsoFree) {
                ok &= free(p + d);
            }
            if (ok) {
                return p;
            }
        }
        throw new IllegalStateException("no free port found");
    }

    /** A loopback port nothing listens on (bound once, then closed again). */
    static int closedPort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(LOOPBACK, 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress("0.0.0.0", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Every process this class started, killed at JVM exit too should a test run be cut short. */
    private static final List<Process> STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(ServerJvm::kill), "server-jvm-reaper"));
    }

    private static void kill(Process p) {
        if (p.isAlive()) {
            p.destroyForcibly();
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        STARTED.remove(p);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** The server's ROCKETCLUSTER_HOME_DIR. */
    Path home() {
        return work.resolve("home");
    }
}
