package io.rocketcluster.broker.filter;

import java.util.function.Function;

/**
 * A compiled SQL92 filter expression (or one of its parts). Immutable and thread-safe: one compiled
 * expression serves every pull of its subscription.
 *
 * <p>Values are {@link Boolean}, {@link Integer}, {@link Long}, {@link Double}, {@link String} or
 * null (SQL's unknown). Message properties are always strings; comparisons convert them to the other
 * side's type the way RocketMQ does ({@link SqlValues}).
 */
public sealed interface Expression
        permits Literal, Property, Negate, BooleanCast, Not, And, Or, Equal, Compare, InList, IsNull {

    /**
     * The value of this expression for a message whose property values {@code properties} returns
     * (null for a missing property).
     *
     * @throws SqlEvaluationException when a value cannot be converted for a comparison
     */
    Object evaluate(Function<String, String> properties);

    /** True for expressions that can only yield TRUE, FALSE or null (RocketMQ's BooleanExpression). */
    default boolean isBoolean() {
        return true;
    }

    /**
     * Whether a message with these properties matches: only a TRUE result does. Null (unknown), any
     * other value and a failed evaluation do not, as in RocketMQ.
     */
    default boolean matches(Function<String, String> properties) {
        try {
            return evaluate(properties) == Boolean.TRUE;
        } catch (SqlEvaluationException e) {
            return false;
        }
    }
}
