package io.rocketcluster.broker.filter;

import java.util.function.Function;

/** Three-valued AND, left to right: FALSE if either side is FALSE, else unknown if either is unknown. */
record And(Expression left, Expression right) implements Expression {
    @Override
    public Object evaluate(Function<String, String> properties) {
        Boolean l = (Boolean) left.evaluate(properties);
        if (Boolean.FALSE.equals(l)) {
            return Boolean.FALSE;
        }
        Boolean r = (Boolean) right.evaluate(properties);
        if (Boolean.FALSE.equals(r)) {
            return Boolean.FALSE;
        }
        return l == null || r == null ? null : Boolean.TRUE;
    }

    @Override
    public String toString() {
        return "(" + left + " AND " + right + ")";
    }
}
