package io.rocketcluster.e2e;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The docker and docker-compose command lines, run as processes (no Docker API client, no helper
 * images to pull). Also decides whether e2e tests can run here: without a daemon or without the
 * images they are skipped with the reason printed, unless {@code ROCKETCLUSTER_E2E=require} (CI),
 * which turns that into a failure.
 */
final class Docker {
    static final String TAG = System.getenv().getOrDefault("ROCKETCLUSTER_TAG", "latest");
    static final List<String> IMAGES = List.of("rocketcluster-namesrv", "rocketcluster-broker", "rocketcluster-client");

    private Docker() {
    }

    record Result(int exitCode, String out) {
        Result orFail(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + " failed with exit code " + exitCode + ":\n" + out);
            }
            return this;
        }
    }

    /** Runs {@code command} (stdout and stderr merged) with extra environment; waits at most {@code timeoutSeconds}. */
    static Result run(Map<String, String> env, long timeoutSeconds, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command)
                        + "\n" + new String(out.getNow(new byte[0]), StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    static Result docker(long timeoutSeconds, String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        return run(Map.of(), timeoutSeconds, cmd);
    }

    private static byte[] readAll(InputStream in) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            in.transferTo(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    /**
     * Skips (or, with ROCKETCLUSTER_E2E=require, fails) unless a daemon answers and {@code images}
     * (names without tag; {@link #TAG} is added) exist.
     */
    static void assumeReady(String... images) {
        skipOrFail(whyNotReady(images));
    }

    /** {@link #assumeReady} for the docker-compose tests: the compose command too, and the {@link #IMAGES}. */
    static void assumeComposeReady() {
        String why = whyNotReady(IMAGES.toArray(String[]::new));
        if (why == null && ComposeCluster.composeCommand() == null) {
            why = "neither docker-compose nor the docker compose plugin is installed";
        }
        skipOrFail(why);
    }

    /**
     * Nothing when {@code why} is null; else the reason printed and the test skipped, or failed under
     * ROCKETCLUSTER_E2E=require (CI), so that a missing daemon or image never passes silently there.
     */
    static void skipOrFail(String why) {
        if (why == null) {
            return;
        }
        boolean required = "require".equalsIgnoreCase(System.getenv("ROCKETCLUSTER_E2E"));
        String message = "e2e tests " + (required ? "cannot run" : "SKIPPED") + ": " + why;
        System.out.println("[e2e] " + message);
        if (required) {
            Assertions.fail(message + " (ROCKETCLUSTER_E2E=require)");
        }
        Assumptions.abort(message);
    }

    private static String whyNotReady(String... images) {
        Result info = docker(20, "info", "--format", "{{.ServerVersion}}");
        if (info.exitCode() != 0) {
            return "no Docker daemon reachable (" + firstLine(info.out()) + "); start one with .ci/docker-up.sh";
        }
        for (String image : images) {
            if (docker(20, "image", "inspect", image + ":" + TAG).exitCode() != 0) {
                // the images/<name> modules build rocketcluster-<name>
                String modules = String.join(",", Arrays.stream(images)
                        .map(i -> "images/" + i.substring(i.indexOf('-') + 1)).toList());
                return "image " + image + ":" + TAG + " not found; build the images first: "
                        + "mvn -B -Pimages -DskipTests package -pl " + modules + " -am";
            }
        }
        return null;
    }

    static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    /**
     * A free loopback port p whose p-2 and p+4 are free too (a broker's client port, fast channel and
     * metrics port). Picked below Linux's ephemeral range (32768+), so outgoing connections do not
     * take it between this check and docker binding it.
     */
    static int freeBrokerPort() {
        for (int attempt = 0; attempt < 500; attempt++) {
            int p = 20000 + (int) (Math.random() * 12000);
            if (isFree(p) && isFree(p - 2) && isFree(p + 4)) {
                return p;
            }
        }
        throw new IllegalStateException("no free port found in 20000-32000");
    }

    /** A free loopback port below the ephemeral range. */
    static int freePort() {
        for (int attempt = 0; attempt < 500; attempt++) {
            int p = 20000 + (int) (Math.random() * 12000);
            if (isFree(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no free port found in 20000-32000");
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
