package io.rocketcluster.namesrv.route;

/**
 * What a registering broker is told: for a slave whose master is registered and live, the master's
 * HA address and broker address; both null otherwise.
 */
public record RegisterBrokerResult(String haServerAddr, String masterAddr) {
    public static final RegisterBrokerResult NONE = new RegisterBrokerResult(null, null);
}
