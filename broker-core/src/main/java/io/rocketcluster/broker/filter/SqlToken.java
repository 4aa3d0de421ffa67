package io.rocketcluster.broker.filter;

/**
 * One token of an SQL92 filter expression.
 *
 * @param kind     what the token is
 * @param text     the token as written (for literals: the decoded value's source text)
 * @param position 0-based index of the token's first character in the expression
 */
record SqlToken(Kind kind, String text, int position) {
    enum Kind {
        IDENTIFIER, INTEGER, DECIMAL, STRING,
        NOT, AND, OR, BETWEEN, IN, IS, TRUE, FALSE, NULL,
        EQ, NE, GT, GE, LT, LE, LPAREN, RPAREN, COMMA, PLUS, MINUS,
        END
    }

    /** How the token reads in an error message. */
    String describe() {
        return switch (kind) {
            case END -> "end of expression";
            case STRING -> "string '" + text.replace("'", "''") + "'";
            case IDENTIFIER -> "property '" + text + "'";
            default -> "'" + text + "'";
        };
    }
}
