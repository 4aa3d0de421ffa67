package io.rocketcluster.broker.filter;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@code property [NOT] IN ('a', 'b', ...)}: string equality; unknown when the property is missing. */
record InList(Property property, Set<String> values, boolean negated) implements Expression {
    InList(Property property, List<String> values, boolean negated) {
        this(property, Set.copyOf(values), negated);
    }

    @Override
    public Object evaluate(Function<String, String> properties) {
        Object v = property.evaluate(properties);
        if (!(v instanceof String s)) {
            return null;
        }
        return values.contains(s) != negated;
    }

    @Override
    public String toString() {
        return "(" + property + (negated ? " NOT IN (" : " IN (")
                + values.stream().map(v -> new Literal(v).toString()).sorted().collect(Collectors.joining(", "))
                + "))";
    }
}
