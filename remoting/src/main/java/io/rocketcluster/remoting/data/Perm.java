package io.rocketcluster.remoting.data;

/** Topic and broker permission bits (docs/store-layout.md §11). */
public final class Perm {
    public static final int PRIORITY = 0x8;
    public static final int READ = 0x4;
    public static final int WRITE = 0x2;
    public static final int INHERIT = 0x1;

    private Perm() {
    }

    public static boolean readable(int perm) {
        return (perm & READ) == READ;
    }

    public static boolean writable(int perm) {
        return (perm & WRITE) == WRITE;
    }

    public static boolean inherited(int perm) {
        return (perm & INHERIT) == INHERIT;
    }
}
