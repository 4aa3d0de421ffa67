package io.rocketcluster.broker.filter;

import java.util.function.Function;

/** Logical NOT; NOT unknown is unknown. */
record Not(Expression operand) implements Expression {
    @Override
    public Object evaluate(Function<String, String> properties) {
        Boolean v = (Boolean) operand.evaluate(properties);
        return v == null ? null : !v;
    }

    @Override
    public String toString() {
        return "NOT " + operand;
    }
}
