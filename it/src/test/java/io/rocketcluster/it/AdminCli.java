package io.rocketcluster.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** bin/mqadmin: the admin-cli jar run as its own JVM, as bin/mqadmin runs it. */
final class AdminCli {
    private static final Path ROOT = Path.of(System.getProperty("rocketcluster.root", "../.."));

    record Run(int exit, String out, String err) {
    }

    private AdminCli() {
    }

    /** Runs it with {@code -n namesrv} unless the args name one; {@code env} is added to the environment. */
    static Run run(Path work, String namesrv, Map<String, String> env, String... args) throws Exception {
        Path target = ROOT.resolve("admin-cli").resolve("target");
        Path jar = target.resolve("admin-cli.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build admin-cli first (mvn package)");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m"));
        // JAVA_OPTS as bin/mqadmin passes it
        String javaOpts = env.getOrDefault("JAVA_OPTS", "");
        for (String opt : javaOpts.trim().split("\\s+")) {
            if (!opt.isEmpty()) {
                cmd.add(opt);
            }
        }
        cmd.addAll(List.of("-cp", jar + File.pathSeparator + target.resolve("lib") + "/*", "io.rocketcluster.admin.MqAdmin"));
        cmd.addAll(List.of(args));
        if (!List.of(args).contains("-n")) {
            cmd.addAll(List.of("-n", namesrv));
        }
        Path out = Files.createTempFile(work, "mqadmin", ".out");
        Path err = Files.createTempFile(work, "mqadmin", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("ROCKETMQ_ACCESS_KEY");
        pb.environment().remove("ROCKETMQ_SECRET_KEY");
        pb.environment().remove("ROCKETMQ_HOME");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mqadmin " + String.join(" ", args) + " did not finish");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
