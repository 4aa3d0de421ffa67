package io.rocketcluster.broker.filter;

import io.rocketcluster.broker.filter.SqlToken.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Splits an SQL92 filter expression into tokens, RocketMQ's lexical rules:
 * <ul>
 *   <li>keywords {@code NOT AND OR BETWEEN IN IS TRUE FALSE NULL}, any case;</li>
 *   <li>identifiers (property names, case-sensitive) {@code [A-Za-z_$][A-Za-z0-9_$]*};</li>
 *   <li>integers {@code 0 | [1-9][0-9]*} with an optional {@code L}/{@code l} suffix;</li>
 *   <li>decimals {@code 5.5  5.  .5  5E10  5.5e-3};</li>
 *   <li>strings in single quotes, {@code ''} standing for one quote;</li>
 *   <li>operators {@code = <> > >= < <= ( ) , + -};</li>
 *   <li>white space, {@code -- line} and {@code /* block *}{@code /} comments are skipped.</li>
 * </ul>
 * One instance per expression; {@link #tokenize} is thread-safe.
 */
final class SqlTokenizer {
    private static final Map<String, Kind> KEYWORDS = Map.of(
            "NOT", Kind.NOT, "AND", Kind.AND, "OR", Kind.OR, "BETWEEN", Kind.BETWEEN, "IN", Kind.IN,
            "IS", Kind.IS, "TRUE", Kind.TRUE, "FALSE", Kind.FALSE, "NULL", Kind.NULL);

    private final String s;
    private int pos;

    private SqlTokenizer(String s) {
        this.s = s;
    }

    /** The tokens of {@code s}, ending with one {@link Kind#END} token. */
    static List<SqlToken> tokenize(String s) throws SqlCompileException {
        return new SqlTokenizer(s).all();
    }

    private List<SqlToken> all() throws SqlCompileException {
        List<SqlToken> tokens = new ArrayList<>();
        while (true) {
            skipBlanksAndComments();
            if (pos >= s.length()) {
                tokens.add(new SqlToken(Kind.END, "", s.length()));
                return tokens;
            }
            char c = s.charAt(pos);
            if (isDigit(c) || (c == '.' && pos + 1 < s.length() && isDigit(s.charAt(pos + 1)))) {
                tokens.add(number());
            } else if (c == '\'') {
                tokens.add(string());
            } else if (isIdentifierStart(c)) {
                tokens.add(word());
            } else {
                tokens.add(operator());
            }
        }
    }

    private void skipBlanksAndComments() throws SqlCompileException {
        int n = s.length();
        while (pos < n) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                pos++;
            } else if (s.startsWith("--", pos)) {
                while (pos < n && s.charAt(pos) != '\n' && s.charAt(pos) != '\r') {
                    pos++;
                }
            } else if (s.startsWith("/*", pos)) {
                int end = s.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw new SqlCompileException(pos, "unterminated comment");
                }
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    private SqlToken word() {
        int start = pos;
        while (pos < s.length() && isIdentifierPart(s.charAt(pos))) {
            pos++;
        }
        String word = s.substring(start, pos);
        Kind keyword = KEYWORDS.get(word.toUpperCase(Locale.ROOT));
        return new SqlToken(keyword != null ? keyword : Kind.IDENTIFIER, word, start);
    }

    private SqlToken number() throws SqlCompileException {
        int start = pos;
        int n = s.length();
        digits();
        boolean decimal = false;
        if (pos < n && s.charAt(pos) == '.') {
            decimal = true;
            pos++;
            digits();
        }
        if (pos < n && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            int j = pos + 1;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            if (j < n && isDigit(s.charAt(j))) {
                decimal = true;
                pos = j;
                digits();
            }
        }
        if (decimal) {
            return new SqlToken(Kind.DECIMAL, s.substring(start, pos), start);
        }
        if (s.charAt(start) == '0' && pos - start > 1) {
            throw new SqlCompileException(start, "invalid number '" + s.substring(start, pos)
                    + "' (integers do not start with 0)");
        }
        if (pos < n && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) {
            pos++;
        }
        return new SqlToken(Kind.INTEGER, s.substring(start, pos), start);
    }

    private void digits() {
        while (pos < s.length() && isDigit(s.charAt(pos))) {
            pos++;
        }
    }

    /** A quoted string; the token's text is the decoded value. */
    private SqlToken string() throws SqlCompileException {
        int start = pos;
        StringBuilder value = new StringBuilder();
        pos++;
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c != '\'') {
                value.append(c);
            } else if (pos < s.length() && s.charAt(pos) == '\'') {
                value.append('\'');
                pos++;
            } else {
                return new SqlToken(Kind.STRING, value.toString(), start);
            }
        }
        throw new SqlCompileException(start, "unterminated string literal");
    }

    private SqlToken operator() throws SqlCompileException {
        int i = pos;
        char c = s.charAt(i);
        char next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
        SqlToken t = switch (c) {
            case '=' -> new SqlToken(Kind.EQ, "=", i);
            case '<' -> next == '>' ? new SqlToken(Kind.NE, "<>", i)
                    : next == '=' ? new SqlToken(Kind.LE, "<=", i) : new SqlToken(Kind.LT, "<", i);
            case '>' -> next == '=' ? new SqlToken(Kind.GE, ">=", i) : new SqlToken(Kind.GT, ">", i);
            case '(' -> new SqlToken(Kind.LPAREN, "(", i);
            case ')' -> new SqlToken(Kind.RPAREN, ")", i);
            case ',' -> new SqlToken(Kind.COMMA, ",", i);
            case '+' -> new SqlToken(Kind.PLUS, "+", i);
            case '-' -> new SqlToken(Kind.MINUS, "-", i);
            default -> throw new SqlCompileException(i, "unexpected character '" + c + "'"
                    + (c == '!' && next == '=' ? " (not equal is written <>)" : "")
                    + (c == '"' ? " (strings are written in single quotes)" : ""));
        };
        pos += t.text().length();
        return t;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || isDigit(c);
    }
}
