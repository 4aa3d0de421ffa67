package io.rocketcluster.remoting.config;

import java.util.regex.Pattern;

/**
 * Checks a listen address from a config file (the servers' {@code metricsBindAddress}): an IPv4 or IPv6
 * literal, or a host name of letters, digits, '-' and '.' (at most 253 characters); 0.0.0.0 is every
 * interface. Anything else (a URL, a path, spaces, control characters) is refused when the file is read,
 * not when the socket is bound.
 */
public final class BindAddress {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\.?");
    /** Hex groups, at least two colons, maybe a dotted tail and a zone (fe80::1%eth0); brackets are taken off first. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f.]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]{1,32})?");

    private BindAddress() {
    }

    /** The trimmed address; IllegalArgumentException (its message says what is expected) otherwise. */
    public static String check(String value) {
        String v = value == null ? "" : value.trim();
        boolean bracketed = v.length() > 2 && v.startsWith("[") && v.endsWith("]");
        String bare = bracketed ? v.substring(1, v.length() - 1) : v;
        boolean ok = bracketed ? IPV6.matcher(bare).matches()
                : HOST.matcher(bare).matches() || IPV6.matcher(bare).matches();
        if (bare.isEmpty() || bare.length() > 253 || !ok) {
            throw new IllegalArgumentException("an IP address or host name, 0.0.0.0 for every interface");
        }
        return bare;
    }
}
