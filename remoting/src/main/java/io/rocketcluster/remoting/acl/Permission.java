package io.rocketcluster.remoting.acl;

/**
 * Plain ACL permissions (docs/acl.md §2.3) as bits: DENY 1, ANY 2, PUB 4, SUB 8. In files and requests
 * they are the words {@code DENY}, {@code PUB}, {@code SUB}, {@code PUB|SUB} or {@code SUB|PUB};
 * anything else, and nothing, means DENY. Stateless.
 */
public final class Permission {
    public static final byte DENY = 1;
    public static final byte ANY = 2;
    public static final byte PUB = 4;
    public static final byte SUB = 8;

    private Permission() {
    }

    public static byte parse(String word) {
        if (word == null) {
            return DENY;
        }
        return switch (word) {
            case "PUB" -> PUB;
            case "SUB" -> SUB;
            case "PUB|SUB", "SUB|PUB" -> PUB | SUB;
            default -> DENY;
        };
    }

    /** Whether a word is one of the valid ones (admin requests refuse the rest). */
    public static boolean isValid(String word) {
        return word != null && (word.equals("DENY") || parse(word) != DENY);
    }

    /** Whether an account owning {@code owned} may do what needs {@code needed}. */
    public static boolean allows(byte needed, byte owned) {
        if ((owned & DENY) != 0) {
            return false;
        }
        if ((needed & ANY) != 0) {
            return (owned & (PUB | SUB)) != 0;
        }
        return (needed & owned) != 0;
    }

    public static String word(byte perm) {
        if ((perm & DENY) != 0) {
            return "DENY";
        }
        return switch (perm & (PUB | SUB)) {
            case PUB -> "PUB";
            case SUB -> "SUB";
            case PUB | SUB -> "PUB|SUB";
            default -> "DENY";
        };
    }
}
