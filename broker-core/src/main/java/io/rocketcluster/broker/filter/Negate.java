package io.rocketcluster.broker.filter;

import java.util.function.Function;

/** Unary minus: negates a number; anything else (a property's string included) gives null. */
record Negate(Expression operand) implements Expression {
    @Override
    public Object evaluate(Function<String, String> properties) {
        Object v = operand.evaluate(properties);
        if (v instanceof Integer i) {
            return -i;
        }
        if (v instanceof Long l) {
            return -l;
        }
        if (v instanceof Double d) {
            return -d;
        }
        return null;
    }

    @Override
    public boolean isBoolean() {
        return false;
    }

    @Override
    public String toString() {
        return "-" + operand;
    }
}
