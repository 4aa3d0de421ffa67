package io.rocketcluster.broker.filter;

import io.rocketcluster.broker.filter.SqlToken.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlTokenizerTest {
    private static List<Kind> kinds(String s) throws SqlCompileException {
        return SqlTokenizer.tokenize(s).stream().map(SqlToken::kind).toList();
    }

    private static List<String> texts(String s) throws SqlCompileException {
        return SqlTokenizer.tokenize(s).stream().map(SqlToken::text).toList();
    }

    @Test
    void keywordsInAnyCaseAndCaseSensitiveIdentifiers() throws Exception {
        assertThat(kinds("not And oR BETWEEN in Is true FALSE Null"))
                .containsExactly(Kind.NOT, Kind.AND, Kind.OR, Kind.BETWEEN, Kind.IN, Kind.IS, Kind.TRUE, Kind.FALSE,
                        Kind.NULL, Kind.END);
        assertThat(SqlTokenizer.tokenize("Color _a $b c9 TAGS nothing"))
                .extracting(SqlToken::kind, SqlToken::text)
                .startsWith(org.assertj.core.groups.Tuple.tuple(Kind.IDENTIFIER, "Color"))
                .contains(org.assertj.core.groups.Tuple.tuple(Kind.IDENTIFIER, "_a"),
                        org.assertj.core.groups.Tuple.tuple(Kind.IDENTIFIER, "$b"),
                        org.assertj.core.groups.Tuple.tuple(Kind.IDENTIFIER, "c9"),
                        org.assertj.core.groups.Tuple.tuple(Kind.IDENTIFIER, "TAGS"),
                        org.assertj.core.groups.Tuple.tuple(Kind.IDENTIFIER, "nothing"));
    }

    @Test
    void operators() throws Exception {
        assertThat(kinds("= <> > >= < <= ( ) , + -"))
                .containsExactly(Kind.EQ, Kind.NE, Kind.GT, Kind.GE, Kind.LT, Kind.LE, Kind.LPAREN, Kind.RPAREN,
                        Kind.COMMA, Kind.PLUS, Kind.MINUS, Kind.END);
        assertThat(kinds("a>=1AND b<>'x'")).containsExactly(Kind.IDENTIFIER, Kind.GE, Kind.INTEGER, Kind.AND,
                Kind.IDENTIFIER, Kind.NE, Kind.STRING, Kind.END);
    }

    @Test
    void numberForms() throws Exception {
        assertThat(SqlTokenizer.tokenize("0 7 123 10L 10l 5.5 5. .5 5E10 5.5e-3 2e+2 5e"))
                .extracting(SqlToken::kind, SqlToken::text)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Kind.INTEGER, "0"),
                        org.assertj.core.groups.Tuple.tuple(Kind.INTEGER, "7"),
                        org.assertj.core.groups.Tuple.tuple(Kind.INTEGER, "123"),
                        org.assertj.core.groups.Tuple.tuple(Kind.INTEGER, "10L"),
                        org.assertj.core.groups.Tuple.tuple(Kind.INTEGER, "10l"),
                        org.assertj.core.groups.Tuple.tuple(Kind.DECIMAL, "5.5"),
                        org.assertj.core.groups.Tuple.tuple(Kind.DECIMAL, "5."),
                        org.assertj.core.groups.Tuple.tuple(Kind.DECIMAL, ".5"),
                        org.assertj.core.groups.Tuple.tuple(Kind.DECIMAL, "5E10"),
                        org.assertj.core.groups.Tuple.tuple(Kind.DECIMAL, "5.5e-3"),
                        org.assertj.core.groups.Tuple.tuple(Kind.DECIMAL, "2e+2"),
                        // "5e" is the integer 5 followed by the identifier e
                        org.assertj.core.groups.Tuple.tuple(Kind.INTEGER, "5"),
                        org.assertj.core.groups.Tuple.tuple(Kind.IDENTIFIER, "e"),
                        org.assertj.core.groups.Tuple.tuple(Kind.END, ""));
    }

    @Test
    void stringsDecodeDoubledQuotes() throws Exception {
        assertThat(texts("'red' '' 'it''s' '''' 'a b\n\u00e9'"))
                .containsExactly("red", "", "it's", "'", "a b\n\u00e9", "");
        assertThat(kinds("'AND'")).containsExactly(Kind.STRING, Kind.END);
    }

    @Test
    void commentsAndWhiteSpaceAreSkipped() throws Exception {
        assertThat(texts(" a\t=\r\n1 -- the rest\n AND /* block\n comment */ b = 2 --"))
                .containsExactly("a", "=", "1", "AND", "b", "=", "2", "");
    }

    @Test
    void positionsAreCharacterIndexes() throws Exception {
        assertThat(SqlTokenizer.tokenize("a  >= 'x''y' OR b").stream().map(SqlToken::position))
                .containsExactly(0, 3, 6, 13, 16, 17);
    }

    @Test
    void lexicalErrorsNameThePosition() {
        assertThatThrownBy(() -> SqlTokenizer.tokenize("a = 'open"))
                .isInstanceOf(SqlCompileException.class)
                .hasMessage("Invalid SQL92 expression at position 5: unterminated string literal");
        assertThatThrownBy(() -> SqlTokenizer.tokenize("a != 1"))
                .hasMessage("Invalid SQL92 expression at position 3: unexpected character '!' (not equal is written <>)");
        assertThatThrownBy(() -> SqlTokenizer.tokenize("a = \"x\""))
                .hasMessageContaining("position 5: unexpected character '\"' (strings are written in single quotes)");
        assertThatThrownBy(() -> SqlTokenizer.tokenize("a = 007"))
                .hasMessage("Invalid SQL92 expression at position 5: invalid number '007' (integers do not start with 0)");
        assertThatThrownBy(() -> SqlTokenizer.tokenize("a = 1 /* never closed"))
                .hasMessage("Invalid SQL92 expression at position 7: unterminated comment");
        assertThatThrownBy(() -> SqlTokenizer.tokenize("a.b = 1"))
                .hasMessage("Invalid SQL92 expression at position 2: unexpected character '.'");
    }

    @Test
    void errorPositionIsExposed() {
        assertThatThrownBy(() -> SqlTokenizer.tokenize("abc # d"))
                .isInstanceOfSatisfying(SqlCompileException.class, e -> assertThat(e.position()).isEqualTo(4));
    }
}
