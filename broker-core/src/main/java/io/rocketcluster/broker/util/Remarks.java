package io.rocketcluster.broker.util;

/** Client-supplied values as they may appear in a response remark or a log line. */
public final class Remarks {
    private Remarks() {
    }

    /** {@code value} cut to {@code max} characters (then "..."), control characters escaped as \\uXXXX. */
    public static String shown(String value, int max) {
        String s = value.length() > max ? value.substring(0, max) + "..." : value;
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
