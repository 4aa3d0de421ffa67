package io.rocketcluster.broker.filter;

/**
 * An SQL92 filter expression that does not compile. The message names the 1-based character
 * position of the offending token and what was wrong there; the broker returns it to clients as the
 * remark of SUBSCRIPTION_PARSE_FAILED.
 */
public final class SqlCompileException extends Exception {
    private final int position;

    /** @param position 0-based index in the expression */
    SqlCompileException(int position, String reason) {
        super("Invalid SQL92 expression at position " + (position + 1) + ": " + reason, null, false, false);
        this.position = position;
    }

    /** 0-based index of the character where the error was found. */
    public int position() {
        return position;
    }
}
