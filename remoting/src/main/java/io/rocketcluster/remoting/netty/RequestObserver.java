package io.rocketcluster.remoting.netty;

/** Told about every request an endpoint served (metrics): its code, time to response and outcome. */
@FunctionalInterface
public interface RequestObserver {
    /**
     * @param code         the request code
     * @param nanos        from receipt to the response being handed to Netty (or to completion for oneway)
     * @param responseCode the response code, or -1 for oneway requests and failures to answer
     */
    void served(int code, long nanos, int responseCode);
}
