package io.rocketcluster.broker.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;

/** Default advertised address and broker name, detected as RocketMQ does (protocol.md §10.2). */
public final class NetworkAddresses {
    private NetworkAddresses() {
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
