package io.rocketcluster.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Nameservers and brokers on loopback, each in its own JVM, on free ports and in a fresh work
 * directory under target/. Tests build one, start it, and close it; closing kills what it started
 * and deletes the work directory.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Random RANDOM = new Random();

    private final Path work;
    private final List<ServerProcess> processes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Integer> namesrvPorts = new ArrayList<>();
    private final Map<String, BrokerNode> brokers = new LinkedHashMap<>();

    /** A broker of the cluster: its config, process and ports. */
    public final class BrokerNode {
        final String name;
        final Map<String, String> config;
        final int port;
        final List<String> jvmOptions = new ArrayList<>();
        final List<Path> extraClasspath = new ArrayList<>();
        ServerProcess process;

        BrokerNode(String name, Map<String, String> config, int port) {
            this.name = name;
            this.config = config;
            this.port = port;
        }

        public String addr() {
            return "127.0.0.1:" + port;
        }

        public int port() {
            return port;
        }

        /** The /metrics and /health/* port: listenPort+4 unless the config sets metricsPort. */
        public int metricsPort() {
            return config.containsKey("metricsPort") ? Integer.parseInt(config.get("metricsPort")) : port + 4;
        }

        public Path storeDir() {
            return Path.of(config.get("storePathRootDir"));
        }

        public BrokerNode start() throws IOException {
            Path conf = work.resolve(name + ".conf");
            Files.writeString(conf, config.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("\n", "", "\n")));
            process = ServerProcess.broker(name, conf, work, jvmOptions, extraClasspath).start();
            processes.add(process);
            return this;
        }

        public void stop() throws InterruptedException {
            process.stop();
        }

        /** Runs the broker JVM with {@code -Dkey=value} and {@code entry} on its classpath (fault injection). */
        public BrokerNode withJvm(List<String> options, Path classpathEntry) {
            jvmOptions.addAll(options);
            extraClasspath.add(classpathEntry);
            return this;
        }

        public boolean isAlive() {
            return process != null && process.isAlive();
        }

        /** The broker JVM's process id. */
        public long pid() {
            return process.pid();
        }

        public void kill9() throws InterruptedException {
            process.kill9();
        }

        /** SIGSTOP: the broker freezes with its sockets open, as in a long GC pause or a frozen VM. */
        public void pause() throws Exception {
            signal("STOP");
        }

        /** SIGCONT after {@link #pause}. */
        public void resume() throws Exception {
            signal("CONT");
        }

        private void signal(String name) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
            }
        }

        /** Deletes the broker's whole store directory (the broker must not be running): an empty volume. */
        public void wipeStore() throws IOException {
            deleteTree(storeDir());
        }

        public String log() {
            return process.tail();
        }

        /** The broker's log file (all of its runs append to it). */
        public Path logFile() {
            return process.log();
        }
    }

    public LocalCluster(String testName) {
        Path base = Path.of(System.getProperty("rocketcluster.it.work", "target/it-work"));
        this.work = base.resolve(testName + "-" + System.nanoTime());
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path work() {
        return work;
    }

    /** Starts one more nameserver on a free port (its metrics port, listenPort+1000, free too). */
    public LocalCluster startNamesrv() throws IOException {
        return startNamesrv(freeNamesrvPort());
    }

    /** A free port p for a nameserver, with p+1000 free as well. */
    static int freeNamesrvPort() {
        int port = freePort(false);
        while (!free(port + 1000)) {
            port = freePort(false);
        }
        return port;
    }

    /** Starts a nameserver on {@code port} (say one that brokers were told about before it ran). */
    public LocalCluster startNamesrv(int port) throws IOException {
        return startNamesrv(port, Map.of());
    }

    /** Starts a nameserver on {@code port} with more namesrv.conf keys ({@code extra}). */
    public LocalCluster startNamesrv(int port, Map<String, String> extra) throws IOException {
        Path conf = work.resolve("namesrv-" + port + ".conf");
        StringBuilder text = new StringBuilder("listenPort=" + port + "\nkvConfigPath=" + work.resolve("namesrv-" + port)
                .resolve("kvConfig.json") + "\n");
        extra.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(conf, text);
        processes.add(ServerProcess.namesrv("namesrv-" + port, conf, work).start());
        namesrvPorts.add(port);
        return this;
    }

    /** The log of the nameserver on {@code port} so far. */
    public String namesrvLog(int port) throws IOException {
        return Files.readString(work.resolve("namesrv-" + port + ".log"));
    }

    public String namesrvAddr() {
        return String.join(";", namesrvAddrs());
    }

    /** Each nameserver's /metrics and /health/* port (listenPort+1000), in start order. */
    public List<Integer> namesrvMetricsPorts() {
        return namesrvPorts.stream().map(p -> p + 1000).toList();
    }

    /** Each nameserver's address, in start order. */
    public List<String> namesrvAddrs() {
        return namesrvPorts.stream().map(p -> "127.0.0.1:" + p).toList();
    }

    /** A broker config with test-friendly defaults; {@code overrides} are broker.conf keys. */
    public BrokerNode broker(String brokerName, long brokerId, Map<String, String> overrides) {
        int port = freePort(true);
        String name = brokerName + "-" + brokerId;
        Map<String, String> c = new LinkedHashMap<>();
        c.put("namesrvAddr", namesrvAddr());
        c.put("brokerIP1", "127.0.0.1");
        c.put("brokerIP2", "127.0.0.1");
        c.put("brokerClusterName", "ItCluster");
        c.put("brokerName", brokerName);
        c.put("brokerId", String.valueOf(brokerId));
        c.put("listenPort", String.valueOf(port));
        c.put("storePathRootDir", work.resolve(name).resolve("store").toString());
        c.put("mappedFileSizeCommitLog", String.valueOf(64 * 1024 * 1024));
        c.put("mappedFileSizeConsumeQueue", String.valueOf(30000 * 20));
        c.put("sendMessageThreadPoolNums", "4");
        c.putAll(overrides);
        BrokerNode node = new BrokerNode(name, c, port);
        brokers.put(name, node);
        return node;
    }

    /**
     * A free port p; for brokers also p-2 (fast channel), p+1 (HA) and p+4 (metrics) must be free.
     */
    static synchronized int freePort(boolean brokerTriple) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int p = 20000 + RANDOM.nextInt(30000);
            if (free(p) && (!brokerTriple || (free(p - 2) && free(p + 1) && free(p + 4)))) {
                return p;
            }
        }
        throw new IllegalStateException("no free port found");
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

    @Override
    public void close() throws Exception {
        for (ServerProcess p : processes) {
            p.kill9();
        }
        if (!Boolean.getBoolean("rocketcluster.it.keep")) {
            deleteTree(work);
        }
    }

    /** Deletes {@code root} and everything under it (nothing when it does not exist). */
    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
