package io.rocketcluster.broker.filter;

import java.util.function.Function;

/** Three-valued OR, left to right: TRUE if either side is TRUE, else unknown if either is unknown. */
record Or(Expression left, Expression right) implements Expression {
    @Override
    public Object evaluate(Function<String, String> properties) {
        Boolean l = (Boolean) left.evaluate(properties);
        if (Boolean.TRUE.equals(l)) {
            return Boolean.TRUE;
        }
        Boolean r = (Boolean) right.evaluate(properties);
        if (Boolean.TRUE.equals(r)) {
            return Boolean.TRUE;
        }
        return l == null || r == null ? null : Boolean.FALSE;
    }

    @Override
    public String toString() {
        return "(" + left + " OR " + right + ")";
    }
}
