package io.rocketcluster.e2e;

import java.io.IOException;
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
import java.util.Map;
import java.util.UUID;

/**
 * compose/docker-compose.yml brought up under its own project name, with every published port a
 * free loopback port (so it runs beside anything else on the machine), torn down with its volumes.
 * Talks only to 127.0.0.1 and to its own containers.
 */
final class ComposeCluster implements AutoCloseable {
    static final List<String> SERVICES = List.of("namesrv-1", "namesrv-2", "broker-a-master", "broker-a-slave");
    private static final Path COMPOSE_DIR = Path.of(System.getProperty("rocketcluster.compose.dir", "../compose"));
    private static final Path LOG_DIR = Path.of(System.getProperty("rocketcluster.e2e.logs", "target/e2e-logs"));

    final String project = "rce2e" + UUID.randomUUID().toString().substring(0, 8);
    final int namesrv1Port;
    final int namesrv2Port;
    final int masterPort;
    final int slavePort;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> files = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** {@code overrides}: extra compose files in compose/, applied in order after docker-compose.yml. */
    ComposeCluster(Map<String, String> settings, String... overrides) {
        masterPort = Docker.freeBrokerPort();
        int s;
        do {
            s = Docker.freeBrokerPort();
        } while (Math.abs(s - masterPort) < 8);
        slavePort = s;
        int n1;
        int n2;
        do {
            n1 = Docker.freePort();
            n2 = Docker.freePort();
        } while (n1 == n2 || Math.abs(n1 - masterPort) < 8 || Math.abs(n1 - slavePort) < 8
                || Math.abs(n2 - masterPort) < 8 || Math.abs(n2 - slavePort) < 8);
        namesrv1Port = n1;
        namesrv2Port = n2;
        env.put("COMPOSE_PROJECT_NAME", project);
        env.put("HOST_IP", "127.0.0.1");
        env.put("NAMESRV_1_PORT", String.valueOf(namesrv1Port));
        env.put("NAMESRV_2_PORT", String.valueOf(namesrv2Port));
        env.put("MASTER_PORT", String.valueOf(masterPort));
        env.put("MASTER_FAST_PORT", String.valueOf(masterPort - 2));
        env.put("MASTER_METRICS_PORT", String.valueOf(masterPort + 4));
        env.put("SLAVE_PORT", String.valueOf(slavePort));
        env.put("SLAVE_FAST_PORT", String.valueOf(slavePort - 2));
        env.put("SLAVE_METRICS_PORT", String.valueOf(slavePort + 4));
        env.put("ROCKETCLUSTER_TAG", Docker.TAG);
        env.putAll(settings);
        files.add(COMPOSE_DIR.resolve("docker-compose.yml").toAbsolutePath().toString());
        for (String o : overrides) {
            files.add(COMPOSE_DIR.resolve(o).toAbsolutePath().toString());
        }
    }

    /** {@code docker-compose} (v1, Debian) when installed, else the v2 plugin {@code docker compose}; null if neither. */
    static List<String> composeCommand() {
        String forced = System.getenv("ROCKETCLUSTER_COMPOSE");
        if (forced != null && !forced.isBlank()) {
            return List.of(forced.trim().split("\\s+"));
        }
        if (Docker.run(Map.of(), 20, List.of("docker-compose", "version")).exitCode() == 0) {
            return List.of("docker-compose");
        }
        if (Docker.run(Map.of(), 20, List.of("docker", "compose", "version")).exitCode() == 0) {
            return List.of("docker", "compose");
        }
        return null;
    }

    Docker.Result compose(long timeoutSeconds, String... args) {
        List<String> cmd = new ArrayList<>(composeCommand());
        cmd.addAll(List.of("-p", project));
        for (String f : files) {
            cmd.addAll(List.of("-f", f));
        }
        cmd.addAll(List.of(args));
        return Docker.run(env, timeoutSeconds, cmd);
    }

    /** {@code up -d} (which waits for each dependency to be healthy), then waits until all four are healthy. */
    ComposeCluster up() {
        log("up: project " + project + ", nameservers 127.0.0.1:" + namesrv1Port + ";127.0.0.1:" + namesrv2Port
                + ", master 127.0.0.1:" + masterPort + ", slave 127.0.0.1:" + slavePort);
        long t0 = System.nanoTime();
        Docker.Result r = compose(600, "up", "-d", "--no-build");
        if (r.exitCode() != 0) {
            dumpLogs("up-failed");
            r.orFail("compose up");
        }
        for (String s : SERVICES) {
            awaitHealthy(s, Duration.ofSeconds(180));
        }
        log("all services healthy after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        return this;
    }

    String containerId(String service) {
        return Docker.firstLine(compose(60, "ps", "-q", service).orFail("ps " + service).out());
    }

    String inspect(String service, String format) {
        return Docker.firstLine(Docker.docker(60, "inspect", "-f", format, containerId(service)).orFail("inspect").out());
    }

    void awaitHealthy(String service, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            state = inspect(service, "{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}");
            if (state.equals("running healthy")) {
                return;
            }
            sleep(500);
        }
        dumpLogs("unhealthy-" + service);
        throw new AssertionError(service + " not healthy within " + timeout + ": " + state);
    }

    /** SIGKILL, as a crashed host or an OOM kill would. */
    void kill(String service) {
        compose(120, "kill", service).orFail("kill " + service);
    }

    void start(String service) {
        compose(120, "start", service).orFail("start " + service);
    }

    String namesrvAddr() {
        return "127.0.0.1:" + namesrv1Port + ";127.0.0.1:" + namesrv2Port;
    }

    /** The docker network the services share: {@code <project>_default}. */
    String network() {
        return project + "_default";
    }

    /** GET on a broker's published metrics port ({@code listenPort+4}); null when it does not answer. */
    String metrics(int brokerPort, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (brokerPort + 4) + path))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A broker's {@code rocketcluster_commitlog_max_offset}, or -1 when it does not answer. */
    long commitlogMaxOffset(int brokerPort) {
        String body = metrics(brokerPort, "/metrics");
        if (body == null) {
            return -1;
        }
        for (String line : body.split("\n")) {
            if (line.startsWith("rocketcluster_commitlog_max_offset")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    /** Every service's log into target/e2e-logs/&lt;project&gt;-&lt;label&gt;.log. */
    /** What {@code service} has logged so far. */
    String logs(String service) {
        return compose(120, "logs", "--no-color", service).orFail("logs " + service).out();
    }

    void dumpLogs(String label) {
        try {
            Files.createDirectories(LOG_DIR);
            Path f = LOG_DIR.resolve(project + "-" + label + ".log");
            Files.writeString(f, compose(120, "logs", "--no-color", "--timestamps").out());
            log("logs written to " + f);
        } catch (IOException e) {
            log("could not write logs: " + e);
        }
    }

    @Override
    public void close() {
        dumpLogs("final");
        Docker.Result r = compose(300, "down", "-v", "--timeout", "20");
        log("down: exit " + r.exitCode());
    }

    static void log(String message) {
        System.out.println("[e2e] " + message);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
