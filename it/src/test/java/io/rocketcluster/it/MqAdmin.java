package io.rocketcluster.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The official {@code mqadmin} (rocketmq-tools' {@code MQAdminStartup}, started through
 * {@link MqAdminMain}) run as its own JVM, from the jars the it build copies into
 * {@code target/mqadmin-lib}: the tool exactly as operators run it, never mixed with the test's
 * client version. It gets a scratch {@code ROCKETMQ_HOME} holding the
 * {@code conf/logback_tools.xml} it insists on loading (its own log goes to {@code mqadmin.log} there)
 * and, unless {@link #credentials} puts one there, no {@code conf/tools.yml} (unsigned requests).
 *
 * <p>mqadmin exits 0 even when a command fails (it prints the stack trace), so callers assert on
 * the output. Only the processes it starts are stopped, and only by their own handle.
 */
final class MqAdmin {
    private static final Path LIB = Path.of(System.getProperty("rocketcluster.it.mqadminLib", "target/mqadmin-lib"));
    /** The directory holding {@link MqAdminMain}: the test classes. */
    private static final Path LAUNCHER = codeSource(MqAdminMain.class);

    private final Path home;
    private final String namesrv;

    /** What one run printed, and how it ended (exit code -1 when it was stopped). */
    record Result(List<String> command, int exitCode, String stdout, String stderr, boolean stopped) {
        /** Output lines whose whitespace-separated fields start with {@code fields} (table rows). */
        List<String[]> rowsStartingWith(String... fields) {
            List<String[]> rows = new ArrayList<>();
            for (String line : stdout.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length < fields.length) {
                    continue;
                }
                boolean match = true;
                for (int i = 0; i < fields.length && match; i++) {
                    match = f[i].equals(fields[i]);
                }
                if (match) {
                    rows.add(f);
                }
            }
            return rows;
        }

        @Override
        public String toString() {
            return "mqadmin " + String.join(" ", command.subList(command.indexOf(MqAdminMain.class.getName()) + 1, command.size()))
                    + " (exit " + exitCode + (stopped ? ", stopped" : "") + ")\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    MqAdmin(Path work, String namesrv) {
        this.namesrv = namesrv;
        this.home = work.resolve("mqadmin-home");
        try {
            Files.createDirectories(home.resolve("conf"));
            Files.writeString(home.resolve("conf").resolve("logback_tools.xml"), """
                    <configuration>
                      <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                        <file>%s</file>
                        <encoder><pattern>%%d{HH:mm:ss.SSS} %%-5level %%logger{20} - %%msg%%n</pattern></encoder>
                      </appender>
                      <root level="INFO"><appender-ref ref="FILE"/></root>
                    </configuration>
                    """.formatted(home.resolve("mqadmin.log")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Files.isDirectory(LIB)) {
            throw new IllegalStateException(LIB + " is missing: the it build copies rocketmq-tools there");
        }
    }

    /**
     * Signs every later command with these keys, as operators configure mqadmin for an ACL broker
     * ({@code conf/tools.yml} in its ROCKETMQ_HOME); null keys remove the file (unsigned again).
     */
    MqAdmin credentials(String accessKey, String secretKey) throws IOException {
        Path tools = home.resolve("conf").resolve("tools.yml");
        if (accessKey == null) {
            Files.deleteIfExists(tools);
        } else {
            Files.writeString(tools, "accessKey: " + accessKey + "\nsecretKey: " + secretKey + "\n");
        }
        return this;
    }

    /**
     * Runs several independent commands at once ({@code {command, args...}} each) and returns their
     * results in the same order: most of a command's time is JVM start and connection set-up.
     */
    List<Result> runAll(String[]... commands) throws Exception {
        List<java.util.concurrent.CompletableFuture<Result>> runs = new ArrayList<>();
        for (String[] c : commands) {
            runs.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return run(c[0], java.util.Arrays.copyOfRange(c, 1, c.length));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }, PARALLEL));
        }
        List<Result> results = new ArrayList<>();
        for (var r : runs) {
            results.add(r.get(120, TimeUnit.SECONDS));
        }
        return results;
    }

    private static final java.util.concurrent.ExecutorService PARALLEL = java.util.concurrent.Executors.newFixedThreadPool(3, r -> {
        Thread t = new Thread(r, "mqadmin-runner");
        t.setDaemon(true);
        return t;
    });

    /** Runs {@code mqadmin <command> -n <namesrv> <args>} to its end (at most 60 s). */
    Result run(String command, String... args) throws IOException, InterruptedException {
        return run(Duration.ofSeconds(60), out -> false, command, args);
    }

    /**
     * Runs a command until it exits, {@code timeout} passes, or its standard output so far satisfies
     * {@code enough} (for commands that never end by themselves, such as clusterRT); then stops it.
     */
    Result run(Duration timeout, Predicate<String> enough, String command, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Drocketmq.home.dir=" + home, "-Duser.home=" + home,
                "-Drocketmq.client.logRoot=" + home.resolve("client-logs"), "-Drocketmq.client.logLevel=WARN",
                "-cp", LIB.toAbsolutePath() + "/*" + java.io.File.pathSeparator + LAUNCHER,
                MqAdminMain.class.getName(), command, "-n", namesrv));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(home, command + "-", ".out");
        Path err = Files.createTempFile(home, command + "-", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean stopped = false;
        while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() > deadline || enough.test(Files.readString(out, StandardCharsets.UTF_8))) {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
                stopped = true;
                break;
            }
        }
        Result r = new Result(cmd, stopped ? -1 : p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), stopped);
        System.out.printf("%tT [mqadmin] %s %s: %d ms%s%n", System.currentTimeMillis(), command, String.join(" ", args),
                (System.nanoTime() - deadline + timeout.toNanos()) / 1_000_000, stopped ? " (stopped)" : "");
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }

    private static Path codeSource(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
