package io.rocketcluster.remoting.acl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A white-list address pattern of plain ACL (docs/acl.md §3.2), tried in this order:
 * blank (matches nothing); {@code *}, {@code *.*.*.*} (everyone); {@code 192.168.1.{1,2,3}} (listed last
 * octets); {@code 10.0.0.1,10.0.0.2} (listed addresses); {@code 192.168.0.*} or {@code 192.168.1.1-100}
 * (one octet ranges; octets after it are ignored, as RocketMQ does); else one literal address.
 * IPv6 addresses are compared in full form. Immutable.
 */
public final class RemoteAddressPattern {
    private static final Pattern IPV4 = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");

    private final String text;
    private final Predicate<String> matcher;

    private RemoteAddressPattern(String text, Predicate<String> matcher) {
        this.text = text;
        this.matcher = matcher;
    }

    /** @throws IllegalArgumentException for a pattern RocketMQ would refuse too */
    public static RemoteAddressPattern parse(String pattern) {
        String p = pattern == null ? "" : pattern.trim();
        if (p.isEmpty()) {
            return new RemoteAddressPattern(p, ip -> false);
        }
        if (p.equals("*") || p.equals("*.*.*.*") || p.equals("*:*:*:*:*:*:*:*")) {
            return new RemoteAddressPattern(p, ip -> true);
        }
        if (p.endsWith("}")) {
            return enumerated(p);
        }
        if (p.contains(",")) {
            Set<String> addresses = new HashSet<>();
            for (String a : p.split(",")) {
                addresses.add(normalize(a.trim(), p));
            }
            return new RemoteAddressPattern(p, ip -> addresses.contains(canonical(ip)));
        }
        if (p.contains("*") || p.contains("-")) {
            return range(p);
        }
        String only = normalize(p, p);
        return new RemoteAddressPattern(p, ip -> only.equals(canonical(ip)));
    }

    public boolean matches(String remoteIp) {
        return remoteIp != null && matcher.test(remoteIp);
    }

    @Override
    public String toString() {
        return text;
    }

    private static RemoteAddressPattern enumerated(String p) {
        int open = p.lastIndexOf('{');
        String prefix = p.substring(0, open);
        if (!prefix.endsWith(".") || prefix.split("\\.").length != 3) {
            throw invalid(p);
        }
        Set<String> addresses = new HashSet<>();
        for (String last : p.substring(open + 1, p.length() - 1).split(",")) {
            addresses.add(normalize(prefix + last.trim(), p));
        }
        return new RemoteAddressPattern(p, addresses::contains);
    }

    /** The first octet (from the second on) that is {@code *} or {@code a-b} is the range; the octets before it are literal. */
    private static RemoteAddressPattern range(String p) {
        String[] octets = p.split("\\.");
        if (octets.length < 2 || octets.length > 4 || octets[0].contains("*") || octets[0].contains("-")) {
            throw invalid(p);
        }
        StringBuilder prefix = new StringBuilder(octets[0]);
        for (int i = 1; i < octets.length; i++) {
            String o = octets[i];
            int lo;
            int hi;
            if (o.equals("*")) {
                lo = 0;
                hi = 255;
            } else if (o.contains("-")) {
                String[] ends = o.split("-", 2);
                lo = octet(ends[0], p);
                hi = octet(ends[1], p);
                if (lo > hi || hi == 0) {
                    throw invalid(p);
                }
            } else {
                octet(o, p);
                prefix.append('.').append(o);
                continue;
            }
            int index = i;
            String literal = prefix.toString();
            int from = lo;
            int to = hi;
            return new RemoteAddressPattern(p, ip -> {
                String[] parts = ip.split("\\.");
                if (parts.length != 4 || !String.join(".", java.util.Arrays.copyOf(parts, index)).equals(literal)) {
                    return false;
                }
                try {
                    int v = Integer.parseInt(parts[index]);
                    return v >= from && v <= to;
                } catch (NumberFormatException e) {
                    return false;
                }
            });
        }
        throw invalid(p);
    }

    private static int octet(String s, String pattern) {
        try {
            int v = Integer.parseInt(s);
            if (v < 0 || v > 255) {
                throw invalid(pattern);
            }
            return v;
        } catch (NumberFormatException e) {
            throw invalid(pattern);
        }
    }

    /** A literal address of a pattern, checked and in the form remote addresses are compared in. */
    private static String normalize(String address, String pattern) {
        var m = IPV4.matcher(address);
        if (m.matches()) {
            for (int i = 1; i <= 4; i++) {
                octet(m.group(i), pattern);
            }
            return address;
        }
        if (address.contains(":")) {
            return expandIpv6(address, pattern);
        }
        throw invalid(pattern);
    }

    private static String canonical(String ip) {
        if (ip.contains(":")) {
            try {
                return expandIpv6(ip, ip);
            } catch (IllegalArgumentException e) {
                return ip;
            }
        }
        return ip;
    }

    private static String expandIpv6(String address, String pattern) {
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        if (!a.matches("[0-9a-fA-F:]+")) {
            throw invalid(pattern);
        }
        try {
            byte[] bytes = InetAddress.getByName(a).getAddress();
            if (bytes.length != 16) {
                throw invalid(pattern);
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 16; i += 2) {
                if (i > 0) {
                    sb.append(':');
                }
                sb.append(String.format("%02X%02X", bytes[i], bytes[i + 1]));
            }
            return sb.toString().toUpperCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            throw invalid(pattern);
        }
    }

    private static IllegalArgumentException invalid(String pattern) {
        return new IllegalArgumentException("Netaddress examine Exception netaddress is " + pattern);
    }
}
