package io.rocketcluster.broker.filter;

import java.util.function.Function;

/**
 * {@code left = right} ({@code <>} is NOT of this). RocketMQ's null rules, kept for compatibility:
 * null on the left only gives unknown, null on the right only gives FALSE, both null give TRUE.
 * Values of different types are compared after conversion ({@link SqlValues}).
 */
record Equal(Expression left, Expression right) implements Expression {
    @Override
    public Object evaluate(Function<String, String> properties) {
        Object l = left.evaluate(properties);
        Object r = right.evaluate(properties);
        if ((l == null) != (r == null)) {
            return l == null ? null : Boolean.FALSE;
        }
        if (l == null || l.equals(r)) {
            return Boolean.TRUE;
        }
        return SqlValues.compare(l, r) == 0;
    }

    @Override
    public String toString() {
        return "(" + left + " = " + right + ")";
    }
}
