package io.rocketcluster.broker.filter;

import io.rocketcluster.broker.filter.SqlToken.Kind;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for RocketMQ's SQL92 subset, with RocketMQ 4.9's grammar and compile-time
 * checks. Precedence, lowest first:
 * <pre>
 * expression := or END                                  -- must be a condition
 * or         := and ( OR and )*
 * and        := equality ( AND equality )*
 * equality   := comparison ( '=' comparison | '&lt;&gt;' comparison | IS [NOT] NULL )*
 * comparison := unary ( ('&gt;' | '&gt;=' | '&lt;' | '&lt;=') unary
 *                     | [NOT] BETWEEN unary AND unary
 *                     | [NOT] IN '(' string ( ',' string )* ')' )*
 * unary      := '+' unary | '-' unary | NOT unary | primary
 * primary    := literal | property | '(' or ')'
 * literal    := string | integer | decimal | TRUE | FALSE | NULL
 * </pre>
 * As in RocketMQ, NOT is a unary operator binding tighter than comparisons: {@code NOT a = 1} reads
 * {@code (NOT a) = 1}; write {@code NOT (a = 1)} or {@code a <> 1}.
 *
 * <p>Compile errors (each with the position of the offending token): syntax errors; operands of AND,
 * OR, NOT and the whole expression that are not conditions (a property alone is accepted as one);
 * {@code > >= < <=} and BETWEEN with a string, boolean or NULL literal or a condition as an operand;
 * {@code = NULL} or {@code <> NULL} (use IS NULL); a boolean literal compared with a string or number
 * literal; BETWEEN with a NULL bound or a lower bound above the upper one; IN on anything but a
 * property; integers outside the long range and decimals outside the double range.
 *
 * <p>Deliberate differences from RocketMQ 4.9, all of which only reject or accept more clearly:
 * text after a complete expression is an error (RocketMQ ignores it); the decimal literal 0.0 is
 * accepted (RocketMQ rejects decimals below Double.MIN_VALUE, zero included).
 *
 * <p>Limits, checked before any work that could exceed them (see {@link SqlCompiler}): an
 * expression longer than {@code maxLength} characters is refused before it is tokenized, and one
 * nesting deeper than {@code maxDepth} levels is refused as soon as the parser gets there. The
 * depth of an expression is the number of levels on its deepest path, where each pair of
 * parentheses, each unary {@code NOT + -} and each operator ({@code AND OR = <> > >= < <= BETWEEN
 * IN IS NULL}) is one level, and a chain nests to the left: {@code a = 1} has depth 1,
 * {@code (a = 1)} 2, {@code NOT TRUE} 1, {@code a = 1 AND b = 2 AND c = 3} 3 (its tree is
 * {@code ((a = 1 AND b = 2) AND c = 3)}). Both the parser's recursion (parentheses and unary
 * operators) and the depth of the tree it builds (which evaluation and {@code toString} walk
 * recursively) are thereby bounded by {@code maxDepth}; long IN lists are read iteratively and are
 * one level.
 *
 * <p>One instance per expression; not thread-safe. Use {@link #parse}.
 */
final class SqlParser {
    private final List<SqlToken> tokens;
    private final int maxDepth;
    private int next;
    /** Parentheses and unary operators open around the current token. */
    private int nesting;
    /** Depth of the expression the last production returned. */
    private int depth;

    private SqlParser(List<SqlToken> tokens, int maxDepth) {
        this.tokens = tokens;
        this.maxDepth = maxDepth;
    }

    /** Compiles {@code sql} into a condition, with the default limits of {@link SqlCompiler}. */
    static Expression parse(String sql) throws SqlCompileException {
        return parse(sql, SqlCompiler.DEFAULT_MAX_LENGTH, SqlCompiler.DEFAULT_MAX_DEPTH);
    }

    /**
     * Compiles {@code sql} into a condition.
     *
     * @param maxLength the longest expression accepted, in characters ({@code sqlFilterMaxLength})
     * @param maxDepth  the deepest nesting accepted ({@code sqlFilterMaxDepth}), see above
     */
    static Expression parse(String sql, int maxLength, int maxDepth) throws SqlCompileException {
        if (sql == null) {
            throw new SqlCompileException(0, "no expression");
        }
        checkLength(sql, maxLength);
        SqlParser p = new SqlParser(SqlTokenizer.tokenize(sql), maxDepth);
        int at = p.peek().position();
        Expression e = p.or();
        if (p.peek().kind() != Kind.END) {
            throw p.unexpected("AND, OR or the end of the expression");
        }
        return condition(e, at);
    }

    /** Refuses an expression longer than {@code maxLength} characters, at its first character too many. */
    static void checkLength(String sql, int maxLength) throws SqlCompileException {
        if (sql.length() > maxLength) {
            throw new SqlCompileException(maxLength, "the expression is " + sql.length()
                    + " characters long, longer than sqlFilterMaxLength=" + maxLength);
        }
    }

    // ---- depth ------------------------------------------------------------------------------

    /** Before descending into a parenthesis or the operand of a unary operator at {@code at}. */
    private void enter(int at) throws SqlCompileException {
        if (++nesting > maxDepth) {
            throw tooDeep(at);
        }
    }

    private void leave() {
        nesting--;
    }

    /** The depth of a node at {@code at} whose deepest operand has {@code operandDepth}; checked. */
    private int level(int operandDepth, int at) throws SqlCompileException {
        int d = operandDepth + 1;
        if (d > maxDepth) {
            throw tooDeep(at);
        }
        return d;
    }

    private SqlCompileException tooDeep(int at) {
        return new SqlCompileException(at, "the expression nests deeper than sqlFilterMaxDepth=" + maxDepth
                + " (each parenthesis, NOT, sign, comparison, AND and OR is one level)");
    }

    // ---- productions; each leaves the depth of what it returns in 'depth' --------------------

    private Expression or() throws SqlCompileException {
        int at = peek().position();
        Expression left = and();
        int d = depth;
        while (peek().kind() == Kind.OR) {
            int opAt = peek().position();
            next++;
            int rightAt = peek().position();
            Expression right = and();
            d = level(Math.max(d, depth), opAt);
            left = new Or(condition(left, at), condition(right, rightAt));
        }
        depth = d;
        return left;
    }

    private Expression and() throws SqlCompileException {
        int at = peek().position();
        Expression left = equality();
        int d = depth;
        while (peek().kind() == Kind.AND) {
            int opAt = peek().position();
            next++;
            int rightAt = peek().position();
            Expression right = equality();
            d = level(Math.max(d, depth), opAt);
            left = new And(condition(left, at), condition(right, rightAt));
        }
        depth = d;
        return left;
    }

    private Expression equality() throws SqlCompileException {
        int at = peek().position();
        Expression left = comparison();
        int d = depth;
        while (true) {
            SqlToken op = peek();
            if (accept(Kind.EQ)) {
                Expression right = comparison();
                d = level(Math.max(d, depth), op.position());
                left = equal(left, right, op, at);
            } else if (accept(Kind.NE)) {
                Expression right = comparison();
                d = level(Math.max(d, depth), op.position());
                left = new Not(equal(left, right, op, at));
            } else if (accept(Kind.IS)) {
                boolean negated = accept(Kind.NOT);
                expect(Kind.NULL, "NULL");
                d = level(d, op.position());
                left = new IsNull(left, negated);
            } else {
                depth = d;
                return left;
            }
        }
    }

    private Expression comparison() throws SqlCompileException {
        int at = peek().position();
        Expression left = unary();
        int d = depth;
        while (true) {
            SqlToken op = peek();
            Compare.Op ordering = switch (op.kind()) {
                case GT -> Compare.Op.GT;
                case GE -> Compare.Op.GE;
                case LT -> Compare.Op.LT;
                case LE -> Compare.Op.LE;
                default -> null;
            };
            if (ordering != null) {
                next++;
                int rightAt = peek().position();
                Expression right = unary();
                d = level(Math.max(d, depth), op.position());
                left = compare(ordering, left, at, right, rightAt, op.text());
                continue;
            }
            boolean negated = op.kind() == Kind.NOT
                    && (peek(1).kind() == Kind.BETWEEN || peek(1).kind() == Kind.IN);
            if (negated) {
                next++;
            }
            if (accept(Kind.BETWEEN)) {
                left = between(left, at, negated, op);
                d = level(Math.max(d, depth), op.position());
            } else if (accept(Kind.IN)) {
                if (!(left instanceof Property property)) {
                    throw new SqlCompileException(op.position(), "IN needs a property on its left, not " + left);
                }
                left = new InList(property, stringList(), negated);
                d = level(d, op.position());
            } else {
                depth = d;
                return left;
            }
        }
    }

    private Expression unary() throws SqlCompileException {
        SqlToken op = peek();
        if (op.kind() != Kind.PLUS && op.kind() != Kind.MINUS && op.kind() != Kind.NOT) {
            return primary();
        }
        next++;
        enter(op.position());
        int at = peek().position();
        Expression operand = unary();
        depth = level(depth, op.position());
        leave();
        return switch (op.kind()) {
            case PLUS -> operand;
            case MINUS -> new Negate(operand);
            default -> new Not(condition(operand, at));
        };
    }

    private Expression primary() throws SqlCompileException {
        SqlToken open = peek();
        if (accept(Kind.LPAREN)) {
            enter(open.position());
            Expression inner = or();
            expect(Kind.RPAREN, "')'");
            depth = level(depth, open.position());
            leave();
            return inner;
        }
        SqlToken t = peek();
        Expression e = switch (t.kind()) {
            case STRING -> new Literal(t.text());
            case INTEGER -> integer(t);
            case DECIMAL -> decimal(t);
            case TRUE -> Literal.TRUE;
            case FALSE -> Literal.FALSE;
            case NULL -> Literal.NULL;
            case IDENTIFIER -> new Property(t.text());
            default -> throw unexpected("a property, a literal or '('");
        };
        next++;
        depth = 0;
        return e;
    }

    // ---- operators with compile-time checks -------------------------------------------------

    private static Expression equal(Expression left, Expression right, SqlToken op, int at)
            throws SqlCompileException {
        if (isNullLiteral(left) || isNullLiteral(right)) {
            throw new SqlCompileException(op.position(), "NULL cannot be compared with '" + op.text()
                    + "'; use IS NULL or IS NOT NULL");
        }
        if (left instanceof Literal l && right instanceof Literal r && l.isBoolean() && !r.isBoolean()) {
            throw new SqlCompileException(at, l + " cannot be compared with " + r);
        }
        return new Equal(left, right);
    }

    private static Expression compare(Compare.Op op, Expression left, int leftAt, Expression right, int rightAt,
                                      String opText) throws SqlCompileException {
        orderable(left, leftAt, opText);
        orderable(right, rightAt, opText);
        return new Compare(op, left, right);
    }

    /** Only numbers (literal or not) and properties may be ordered. */
    private static void orderable(Expression e, int at, String opText) throws SqlCompileException {
        if (e instanceof Literal l ? !(l.value() instanceof Number) : e.isBoolean()) {
            throw new SqlCompileException(at, e + " cannot be compared with " + opText
                    + " (only numbers and properties can)");
        }
    }

    private Expression between(Expression value, int valueAt, boolean negated, SqlToken op)
            throws SqlCompileException {
        String opText = negated ? "NOT BETWEEN" : "BETWEEN";
        int lowAt = peek().position();
        Expression low = unary();
        int lowDepth = depth;
        expect(Kind.AND, "AND");
        int highAt = peek().position();
        Expression high = unary();
        depth = Math.max(lowDepth, depth);  // the caller adds BETWEEN's own level
        if (negated) {
            return new Or(compare(Compare.Op.LT, value, valueAt, low, lowAt, opText),
                    compare(Compare.Op.GT, value, valueAt, high, highAt, opText));
        }
        if (low instanceof Literal l && high instanceof Literal h) {
            if (l.value() == null || h.value() == null) {
                throw new SqlCompileException(op.position(), "the bounds of BETWEEN cannot be NULL");
            }
            int order;
            try {
                order = SqlValues.compare(h.value(), l.value());
            } catch (SqlEvaluationException e) {
                throw new SqlCompileException(lowAt, "the bounds of BETWEEN cannot be compared: " + e.getMessage());
            }
            if (order < 0) {
                throw new SqlCompileException(lowAt, "the lower bound of BETWEEN (" + l
                        + ") must not be greater than the upper bound (" + h + ")");
            }
        }
        return new And(compare(Compare.Op.GE, value, valueAt, low, lowAt, opText),
                compare(Compare.Op.LE, value, valueAt, high, highAt, opText));
    }

    private List<String> stringList() throws SqlCompileException {
        expect(Kind.LPAREN, "'('");
        List<String> values = new ArrayList<>();
        do {
            values.add(expect(Kind.STRING, "a string literal").text());
        } while (accept(Kind.COMMA));
        expect(Kind.RPAREN, "',' or ')'");
        return values;
    }

    /** RocketMQ's asBooleanExpression: conditions pass, a bare property becomes a boolean cast. */
    private static Expression condition(Expression e, int at) throws SqlCompileException {
        if (e instanceof Property p) {
            return new BooleanCast(p);
        }
        if (!e.isBoolean()) {
            throw new SqlCompileException(at, e + " is not a condition (expected a comparison, IN, BETWEEN, "
                    + "IS NULL, TRUE or FALSE)");
        }
        return e;
    }

    private static boolean isNullLiteral(Expression e) {
        return e instanceof Literal l && l.value() == null;
    }

    // ---- literals ---------------------------------------------------------------------------

    /** Integers are Integer when they fit, else Long; an L suffix does not force Long (RocketMQ). */
    private static Literal integer(SqlToken t) throws SqlCompileException {
        String digits = t.text();
        if (digits.endsWith("L") || digits.endsWith("l")) {
            digits = digits.substring(0, digits.length() - 1);
        }
        long v;
        try {
            v = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new SqlCompileException(t.position(), "integer " + t.text() + " is out of range ("
                    + Long.MIN_VALUE + " to " + Long.MAX_VALUE + ")");
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return new Literal((int) v);
        }
        return new Literal(v);
    }

    private static Literal decimal(SqlToken t) throws SqlCompileException {
        double v = Double.parseDouble(t.text());
        if (Double.isInfinite(v)) {
            throw new SqlCompileException(t.position(), "decimal " + t.text() + " is out of range (greater than "
                    + Double.MAX_VALUE + ")");
        }
        return new Literal(v);
    }

    // ---- token access -----------------------------------------------------------------------

    private SqlToken peek() {
        return tokens.get(next);
    }

    private SqlToken peek(int ahead) {
        return tokens.get(Math.min(next + ahead, tokens.size() - 1));
    }

    private boolean accept(Kind kind) {
        if (peek().kind() == kind) {
            next++;
            return true;
        }
        return false;
    }

    private SqlToken expect(Kind kind, String what) throws SqlCompileException {
        SqlToken t = peek();
        if (t.kind() != kind) {
            throw unexpected(what);
        }
        next++;
        return t;
    }

    private SqlCompileException unexpected(String expected) {
        SqlToken t = peek();
        return new SqlCompileException(t.position(), "expected " + expected + " but found " + t.describe());
    }
}
