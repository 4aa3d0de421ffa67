package io.rocketcluster.remoting.metrics;

/** Whether a server may receive traffic now (what {@code /health/ready} answers). */
@FunctionalInterface
public interface Readiness {
    /** Always ready. */
    Readiness ALWAYS = () -> null;

    /** Null when ready, else a short reason such as {@code store recovering}. */
    String notReadyReason();
}
