package io.rocketcluster.broker.store;

import java.nio.file.Path;

/**
 * Names from the wire (topics, queue ids) that become directory names in the store. Each name must be
 * one plain path element: not empty, no '/', '\\', "..", NUL or other control character, and the
 * result must lie strictly under its root after normalisation.
 */
public final class StorePaths {
    private StorePaths() {
    }

    /** {@code root/names[0]/names[1]/...}, or IllegalArgumentException when a name is not a plain element under root. */
    public static Path under(Path root, String... names) {
        Path p = root;
        for (String name : names) {
            String problem = problem(name);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            p = p.resolve(name);
        }
        Path base = root.toAbsolutePath().normalize();
        Path resolved = p.toAbsolutePath().normalize();
        if (!resolved.startsWith(base) || resolved.equals(base)) {
            throw new IllegalArgumentException("the name " + printable(String.join("/", names)) + " resolves outside " + root);
        }
        return p;
    }

    /** Null when {@code name} can be a single directory name in the store, else why not. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "the name is empty";
        }
        if (name.contains("..")) {
            return "the name [" + printable(name) + "] contains \"..\"";
        }
        if (name.equals(".")) {
            return "the name is \".\"";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\') {
                return "the name [" + printable(name) + "] contains a path separator";
            }
            if (c < 0x20 || c == 0x7f) {
                return "the name [" + printable(name) + "] contains a control character (NUL included)";
            }
        }
        return null;
    }

    /** {@code name} for a log line or remark: cut at 64 characters, control characters escaped. */
    static String printable(String name) {
        if (name == null) {
            return "null";
        }
        String s = name.length() > 64 ? name.substring(0, 64) + "..." : name;
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
