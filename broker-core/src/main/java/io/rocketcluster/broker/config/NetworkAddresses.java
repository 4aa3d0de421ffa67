package io.rocketcluster.broker.config;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Collections;

/**
 * Default advertised address and broker name, detected as RocketMQ does (docs/configuration.md §2), and
 * the broker's own address for message ids (storeHost).
 */
public final class NetworkAddresses {
    private static final Logger LOG = LogManager.getLogger(NetworkAddresses.class);

    private NetworkAddresses() {
    }

    /**
     * The address message ids carry (storeHost) for {@code host} ({@code brokerIP1}). A name that does
     * not resolve yet is retried every {@code interval} for up to {@code wait}: a Kubernetes pod's own
     * DNS record ({@code <pod>.<headless-service>.<ns>.svc}) appears a few seconds after its container
     * starts. After that the detected {@link #localAddress()} stands in, with a warning, instead of
     * failing start-up: only message ids use it, the broker still advertises {@code host}.
     */
    public static InetSocketAddress storeHost(String host, int port, Duration wait, Duration interval,
                                              HostResolver resolver) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean retried = false;
        while (true) {
            try {
                InetSocketAddress resolved = new InetSocketAddress(resolver.resolve(host)[0], port);
                if (retried) {
                    LOG.info("brokerIP1 '{}' resolved to {}", host, resolved.getAddress().getHostAddress());
                }
                return resolved;
            } catch (UnknownHostException e) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                if (!retried) {
                    LOG.info("brokerIP1 '{}' does not resolve yet; retrying for up to {} ms", host, wait.toMillis());
                    retried = true;
                }
                try {
                    Thread.sleep(Math.max(1, Math.min(interval.toMillis(), left / 1_000_000)));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        String local = localAddress();
        LOG.warn("brokerIP1 '{}' did not resolve within {} ms; message ids carry the local address {} instead "
                + "(the broker still advertises '{}')", host, wait.toMillis(), local, host);
        try {
            return new InetSocketAddress(InetAddress.getByName(local), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("local address " + local + " is not an IP literal", e);
        }
    }

    /** First non-loopback IPv4 not starting 127.0 or 192.168, else the last IPv4, else 127.0.0.1. */
    public static String localAddress() {
        String fallback = null;
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        String ip = a.getHostAddress();
                        if (!ip.startsWith("127.0") && !ip.startsWith("192.168")) {
                            return ip;
                        }
                        if (!a.isLoopbackAddress()) {
                            fallback = ip;
                        }
                    }
                }
            }
        } catch (SocketException e) {
            // fall through to loopback
        }
        return fallback != null ? fallback : "127.0.0.1";
    }

    public static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "DEFAULT_BROKER";
        }
    }
}
