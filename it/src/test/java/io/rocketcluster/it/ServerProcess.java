package io.rocketcluster.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A RocketCluster server (nameserver or broker) running in its own JVM from the jars the build
 * produced, as bin/ runs them. Output goes to a log file; {@link #stop()} sends SIGTERM,
 * {@link #kill9()} SIGKILL. Only ever stops the process it started.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Path ROOT = Path.of(System.getProperty("rocketcluster.root", "../.."));

    private final String name;
    private final List<String> command;
    private final Path log;
    private Process process;

    private ServerProcess(String name, List<String> command, Path log) {
        this.name = name;
        this.command = command;
        this.log = log;
    }

    static ServerProcess namesrv(String name, Path configFile, Path work) {
        return create(name, "namesrv-core", "io.rocketcluster.namesrv.NamesrvStartup", configFile, work);
    }

    static ServerProcess broker(String name, Path configFile, Path work) {
        return broker(name, configFile, work, List.of(), List.of());
    }

    /**
     * A broker JVM with extra {@code -D} options and classpath entries (fault-injection tests put
     * their own classes, which use only broker-core's API and the JDK, on the broker's classpath).
     */
    static ServerProcess broker(String name, Path configFile, Path work, List<String> jvmOptions,
                                List<Path> extraClasspath) {
        return create(name, "broker-core", "io.rocketcluster.broker.BrokerStartup", configFile, work, jvmOptions,
                extraClasspath);
    }

    private static ServerProcess create(String name, String module, String mainClass, Path configFile, Path work) {
        return create(name, module, mainClass, configFile, work, List.of(), List.of());
    }

    private static ServerProcess create(String name, String module, String mainClass, Path configFile, Path work,
                                        List<String> jvmOptions, List<Path> extraClasspath) {
        Path target = ROOT.resolve(module).resolve("target");
        Path jar = target.resolve(module + ".jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run mvn package first");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        StringBuilder classpath = new StringBuilder(jar + File.pathSeparator + target.resolve("lib") + "/*");
        extraClasspath.forEach(p -> classpath.append(File.pathSeparator).append(p));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-Drocketcluster.log.target=console", "-Duser.home=" + work.resolve("home")));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classpath.toString(), mainClass, "-c", configFile.toString()));
        return new ServerProcess(name, cmd, work.resolve(name + ".log"));
    }

    /** Starts the JVM and waits until it reports "boot success". */
    ServerProcess start() throws IOException {
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long before = Files.exists(log) ? countBootLines() : 0;
        await(name + " boots").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            return countBootLines() > before;
        });
        return this;
    }

    private long countBootLines() throws IOException {
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("boot success")).count();
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM and wait: the graceful path (flush, persist, unregister). */
    void stop() throws InterruptedException {
        if (isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(name + " ignored SIGTERM for 60 s");
            }
        }
    }

    /** SIGKILL: the crash path. */
    void kill9() throws InterruptedException {
        if (isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill9();
    }
}
