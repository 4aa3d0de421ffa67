package io.rocketcluster.broker.filter;

/**
 * RocketMQ's rules for comparing two non-null values of possibly different types. Properties are
 * strings, literals are numbers, strings or booleans:
 * <ul>
 *   <li>same type: natural order;</li>
 *   <li>Integer, Long, Double with each other: widened to Long or Double;</li>
 *   <li>a string against a number or boolean: the string is parsed as the other side's type
 *       ({@code Integer.valueOf}, {@code Long.valueOf}, {@code Double.valueOf},
 *       {@code Boolean.valueOf}); a string that does not parse is an evaluation error;</li>
 *   <li>a boolean on the left of a string: an evaluation error (RocketMQ fails there too);</li>
 *   <li>any other pair (a boolean against a number): "less than" (-1), as in RocketMQ.</li>
 * </ul>
 */
final class SqlValues {
    private SqlValues() {
    }

    /** Negative, zero or positive as {@code l} is less than, equal to or greater than {@code r}. */
    static int compare(Object l, Object r) {
        if (l.getClass() == r.getClass()) {
            return sameType(l, r);
        }
        if (l instanceof Integer li) {
            if (r instanceof Long rl) {
                return Long.compare(li, rl);
            }
            if (r instanceof Double rd) {
                return Double.compare(li, rd);
            }
            if (r instanceof String rs) {
                return Integer.compare(li, parseInt(rs));
            }
        } else if (l instanceof Long ll) {
            if (r instanceof Integer ri) {
                return Long.compare(ll, ri);
            }
            if (r instanceof Double rd) {
                return Double.compare(ll, rd);
            }
            if (r instanceof String rs) {
                return Long.compare(ll, parseLong(rs));
            }
        } else if (l instanceof Double ld) {
            if (r instanceof Integer || r instanceof Long) {
                return Double.compare(ld, ((Number) r).doubleValue());
            }
            if (r instanceof String rs) {
                return Double.compare(ld, parseDouble(rs));
            }
        } else if (l instanceof String ls) {
            if (r instanceof Boolean rb) {
                return Boolean.compare(Boolean.parseBoolean(ls), rb);
            }
            if (r instanceof Integer ri) {
                return Integer.compare(parseInt(ls), ri);
            }
            if (r instanceof Long rl) {
                return Long.compare(parseLong(ls), rl);
            }
            if (r instanceof Double rd) {
                return Double.compare(parseDouble(ls), rd);
            }
        } else if (l instanceof Boolean && r instanceof String) {
            throw new SqlEvaluationException("cannot compare boolean " + l + " with string '" + r + "'");
        }
        return -1;
    }

    /** Ordering of two property strings ({@code a > b}): both must be numbers, compared as doubles. */
    static int compareAsNumbers(String l, String r) {
        return Double.compare(parseDouble(l), parseDouble(r));
    }

    private static int sameType(Object l, Object r) {
        if (l instanceof String ls) {
            return ls.compareTo((String) r);
        }
        if (l instanceof Integer li) {
            return li.compareTo((Integer) r);
        }
        if (l instanceof Long ll) {
            return ll.compareTo((Long) r);
        }
        if (l instanceof Double ld) {
            return ld.compareTo((Double) r);
        }
        return ((Boolean) l).compareTo((Boolean) r);
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw notA("an integer", s);
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw notA("a long", s);
        }
    }

    private static double parseDouble(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw notA("a number", s);
        }
    }

    private static SqlEvaluationException notA(String what, String s) {
        return new SqlEvaluationException("'" + s + "' is not " + what);
    }
}
