package io.rocketcluster.broker.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Looks up every address of a host name: {@link InetAddress#getAllByName} outside tests. */
@FunctionalInterface
public interface HostResolver {
    /** The JVM's resolver (its DNS cache included). */
    HostResolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
