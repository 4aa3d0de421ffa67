package io.rocketcluster.broker.filter;

import java.util.function.Function;
import java.util.function.IntPredicate;

/**
 * An ordering comparison ({@code > >= < <=}); BETWEEN compiles to two of these. Unknown if either
 * side is null. Two strings (property against property) are compared as numbers; a string that is
 * not a number makes the evaluation fail.
 */
record Compare(Op op, Expression left, Expression right) implements Expression {
    enum Op {
        GT(">", c -> c > 0), GE(">=", c -> c >= 0), LT("<", c -> c < 0), LE("<=", c -> c <= 0);

        final String symbol;
        final IntPredicate test;

        Op(String symbol, IntPredicate test) {
            this.symbol = symbol;
            this.test = test;
        }
    }

    @Override
    public Object evaluate(Function<String, String> properties) {
        Object l = left.evaluate(properties);
        if (l == null) {
            return null;
        }
        Object r = right.evaluate(properties);
        if (r == null) {
            return null;
        }
        int c = l instanceof String ls && r instanceof String rs
                ? SqlValues.compareAsNumbers(ls, rs)
                : SqlValues.compare(l, r);
        return op.test.test(c);
    }

    @Override
    public String toString() {
        return "(" + left + " " + op.symbol + " " + right + ")";
    }
}
