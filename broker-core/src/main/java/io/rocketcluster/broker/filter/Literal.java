package io.rocketcluster.broker.filter;

import java.util.function.Function;

/** A constant: string, Integer, Long, Double, TRUE, FALSE or NULL. */
record Literal(Object value) implements Expression {
    static final Literal TRUE = new Literal(Boolean.TRUE);
    static final Literal FALSE = new Literal(Boolean.FALSE);
    static final Literal NULL = new Literal(null);

    @Override
    public Object evaluate(Function<String, String> properties) {
        return value;
    }

    /** TRUE, FALSE and NULL count as boolean expressions, strings and numbers do not. */
    @Override
    public boolean isBoolean() {
        return value == null || value instanceof Boolean;
    }

    @Override
    public String toString() {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Boolean b) {
            return b ? "TRUE" : "FALSE";
        }
        if (value instanceof String s) {
            return "'" + s.replace("'", "''") + "'";
        }
        return value.toString();
    }
}
