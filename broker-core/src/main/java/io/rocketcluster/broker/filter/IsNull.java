package io.rocketcluster.broker.filter;

import java.util.function.Function;

/** {@code x IS [NOT] NULL}: never unknown. */
record IsNull(Expression operand, boolean negated) implements Expression {
    @Override
    public Object evaluate(Function<String, String> properties) {
        return (operand.evaluate(properties) == null) != negated;
    }

    @Override
    public String toString() {
        return "(" + operand + (negated ? " IS NOT NULL)" : " IS NULL)");
    }
}
