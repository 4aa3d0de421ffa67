package io.rocketcluster.broker.filter;

import java.util.function.Function;

/** A message property by name; its value is the property's string, or null when it is missing. */
record Property(String name) implements Expression {
    @Override
    public Object evaluate(Function<String, String> properties) {
        return properties.apply(name);
    }

    @Override
    public boolean isBoolean() {
        return false;
    }

    @Override
    public String toString() {
        return name;
    }
}
