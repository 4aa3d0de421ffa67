package io.rocketcluster.broker.filter;

import java.util.function.Function;

/**
 * A property used where a condition is expected ({@code a AND b}, {@code NOT a}): null when missing,
 * otherwise FALSE, since property values are strings and never booleans (RocketMQ's rule).
 */
record BooleanCast(Property property) implements Expression {
    @Override
    public Object evaluate(Function<String, String> properties) {
        Object v = property.evaluate(properties);
        if (v == null) {
            return null;
        }
        return v instanceof Boolean ? v : Boolean.FALSE;
    }

    @Override
    public String toString() {
        return property.toString();
    }
}
