package io.rocketcluster.broker.filter;

/**
 * Evaluating a compiled expression against one message failed (a property that must be a number is
 * not one). As in RocketMQ, such a message does not match; the failure ends the whole evaluation.
 */
final class SqlEvaluationException extends RuntimeException {
    SqlEvaluationException(String message) {
        super(message, null, false, false);
    }
}
