package io.rocketcluster.broker.filter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Structure of compiled expressions (precedence, literal values) and compile errors. */
class SqlParserTest {
    private static String tree(String sql) throws SqlCompileException {
        return SqlParser.parse(sql).toString();
    }

    @Test
    void andBindsTighterThanOrAndBothAreLeftAssociative() throws Exception {
        assertThat(tree("a = 1 OR b = 2 AND c = 3")).isEqualTo("((a = 1) OR ((b = 2) AND (c = 3)))");
        assertThat(tree("a = 1 AND b = 2 OR c = 3")).isEqualTo("(((a = 1) AND (b = 2)) OR (c = 3))");
        assertThat(tree("a = 1 OR b = 2 OR c = 3")).isEqualTo("(((a = 1) OR (b = 2)) OR (c = 3))");
        assertThat(tree("(a = 1 OR b = 2) AND c = 3")).isEqualTo("(((a = 1) OR (b = 2)) AND (c = 3))");
    }

    @Test
    void comparisonsBindTighterThanLogic() throws Exception {
        assertThat(tree("a > 1 AND b <= 2.5 OR c <> 'x'"))
                .isEqualTo("(((a > 1) AND (b <= 2.5)) OR NOT (c = 'x'))");
        assertThat(tree("a BETWEEN 3 AND 6 AND color = 'red'"))
                .isEqualTo("(((a >= 3) AND (a <= 6)) AND (color = 'red'))");
        assertThat(tree("a NOT BETWEEN 3 AND 6")).isEqualTo("((a < 3) OR (a > 6))");
        assertThat(tree("a IN ('x', 'y') AND b NOT IN ('z')")).isEqualTo("((a IN ('x', 'y')) AND (b NOT IN ('z')))");
        assertThat(tree("a IS NULL OR b IS NOT NULL")).isEqualTo("((a IS NULL) OR (b IS NOT NULL))");
    }

    @Test
    void notIsUnaryAndBindsTighterThanComparisonsAsInRocketMq() throws Exception {
        assertThat(tree("NOT a = 1")).isEqualTo("(NOT a = 1)");
        assertThat(tree("NOT (a = 1)")).isEqualTo("NOT (a = 1)");
        assertThat(tree("NOT a = 1 AND b = 2")).isEqualTo("((NOT a = 1) AND (b = 2))");
        assertThat(tree("NOT NOT (a > 1)")).isEqualTo("NOT NOT (a > 1)");
        assertThat(tree("NOT a")).isEqualTo("NOT a");
    }

    @Test
    void equalityChainsAndIsNullAreLeftAssociative() throws Exception {
        assertThat(tree("a = 1 = TRUE")).isEqualTo("((a = 1) = TRUE)");
        assertThat(tree("a = 1 IS NULL")).isEqualTo("((a = 1) IS NULL)");
    }

    @Test
    void literalValuesAndTypes() throws Exception {
        assertThat(literal("1")).isEqualTo(1);
        assertThat(literal("10L")).isEqualTo(10);                      // L does not force a long
        assertThat(literal("2147483647")).isEqualTo(Integer.MAX_VALUE);
        assertThat(literal("2147483648")).isEqualTo(2147483648L);
        assertThat(literal("9223372036854775807L")).isEqualTo(Long.MAX_VALUE);
        assertThat(literal("5.5")).isEqualTo(5.5);
        assertThat(literal("5.")).isEqualTo(5.0);
        assertThat(literal(".5")).isEqualTo(0.5);
        assertThat(literal("3.1E10")).isEqualTo(3.1e10);
        assertThat(literal("0.0")).isEqualTo(0.0);
        assertThat(literal("'it''s'")).isEqualTo("it's");
        assertThat(literal("TRUE")).isEqualTo(Boolean.TRUE);
        assertThat(literal("false")).isEqualTo(Boolean.FALSE);
        assertThat(SqlParser.parse("a = -5")).isEqualTo(new Equal(new Property("a"), new Negate(new Literal(5))));
        assertThat(SqlParser.parse("a = +5")).isEqualTo(new Equal(new Property("a"), new Literal(5)));
    }

    private static Object literal(String text) throws SqlCompileException {
        return ((Literal) ((Equal) SqlParser.parse("a = " + text)).right()).value();
    }

    @Test
    void constantsAndBarePropertiesAreConditions() throws Exception {
        assertThat(SqlParser.parse("TRUE")).isEqualTo(Literal.TRUE);
        assertThat(SqlParser.parse("NULL")).isEqualTo(Literal.NULL);
        assertThat(SqlParser.parse("a")).isEqualTo(new BooleanCast(new Property("a")));
        assertThat(SqlParser.parse("(a) OR b")).isEqualTo(new Or(new BooleanCast(new Property("a")),
                new BooleanCast(new Property("b"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=3 and b<>4 And c>5 AND d<=4", "a in ('3', '4', '5')",
            "(a not in ('6', '4', '5')) or (b in ('3', '4', '5'))", "(a between 2 and 10) AND (b not between 6 and 9)",
            "a is null", "a is not null", "a <= now", "TAGS is not null and TAGS='''''tag'''''",
            "a between up and low", "a > b", "a between -10 and -1", "a BETWEEN 1 AND 1.5", "a > 0.0",
            "a = TRUE OR b = FALSE", "1 = TRUE", "'a' = 'a'", "a = b", "-a > 1", "NOT TRUE", "a IN ('x', 'x')"})
    void validExpressionsCompile(String sql) throws Exception {
        assertThat(SqlParser.parse(sql)).isNotNull();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "\"\"                          | 1  | expected a property, a literal or '(' but found end of expression",
            "\"   \"                       | 4  | expected a property, a literal or '(' but found end of expression",
            "a >                         | 4  | expected a property, a literal or '(' but found end of expression",
            "a = 1 AND                   | 10 | expected a property, a literal or '(' but found end of expression",
            "(a = 1                      | 7  | expected ')' but found end of expression",
            "a = 1)                      | 6  | expected AND, OR or the end of the expression but found ')'",
            "a = 1 b = 2                 | 7  | expected AND, OR or the end of the expression but found property 'b'",
            "a and between 2 and 10      | 7  | expected a property, a literal or '(' but found 'between'",
            "a = NULL                    | 3  | NULL cannot be compared with '='; use IS NULL or IS NOT NULL",
            "NULL <> a                   | 6  | NULL cannot be compared with '<>'; use IS NULL or IS NOT NULL",
            "a > 'x'                     | 5  | 'x' cannot be compared with > (only numbers and properties can)",
            "'x' <= a                    | 1  | 'x' cannot be compared with <= (only numbers and properties can)",
            "a > TRUE                    | 5  | TRUE cannot be compared with > (only numbers and properties can)",
            "(a = 1) > 2                 | 1  | (a = 1) cannot be compared with > (only numbers and properties can)",
            "a > NULL                    | 5  | NULL cannot be compared with > (only numbers and properties can)",
            "a BETWEEN 'a' AND 'b'       | 11 | 'a' cannot be compared with BETWEEN (only numbers and properties can)",
            "a NOT BETWEEN 1 AND 'b'     | 21 | 'b' cannot be compared with NOT BETWEEN (only numbers and properties can)",
            "a BETWEEN 10 AND 0          | 11 | the lower bound of BETWEEN (10) must not be greater than the upper bound (0)",
            "a BETWEEN 1.5 AND 1         | 11 | the lower bound of BETWEEN (1.5) must not be greater than the upper bound (1)",
            "a BETWEEN NULL AND 1        | 3  | the bounds of BETWEEN cannot be NULL",
            "a BETWEEN 1 a               | 13 | expected AND but found property 'a'",
            "TRUE = 1                    | 1  | TRUE cannot be compared with 1",
            "'b' IN ('a')                | 5  | IN needs a property on its left, not 'b'",
            "NOT a IN ('a')              | 7  | IN needs a property on its left, not NOT a",
            "a IN (1, 2)                 | 7  | expected a string literal but found '1'",
            "a IN ()                     | 7  | expected a string literal but found ')'",
            "a IN ('x' 'y')              | 11 | expected ',' or ')' but found string 'y'",
            "a IN 'x'                    | 6  | expected '(' but found string 'x'",
            "a IS 5                      | 6  | expected NULL but found '5'",
            "5                           | 1  | 5 is not a condition (expected a comparison, IN, BETWEEN, IS NULL, TRUE or FALSE)",
            "'abc'                       | 1  | 'abc' is not a condition (expected a comparison, IN, BETWEEN, IS NULL, TRUE or FALSE)",
            "a = 1 AND 5                 | 11 | 5 is not a condition (expected a comparison, IN, BETWEEN, IS NULL, TRUE or FALSE)",
            "7 OR a = 1                  | 1  | 7 is not a condition (expected a comparison, IN, BETWEEN, IS NULL, TRUE or FALSE)",
            "NOT 5                       | 5  | 5 is not a condition (expected a comparison, IN, BETWEEN, IS NULL, TRUE or FALSE)",
            "-a                          | 1  | -a is not a condition (expected a comparison, IN, BETWEEN, IS NULL, TRUE or FALSE)",
            "a = 100000000000000000000000 | 5 | integer 100000000000000000000000 is out of range (-9223372036854775808 to 9223372036854775807)",
            "a > 1e999                   | 5  | decimal 1e999 is out of range (greater than 1.7976931348623157E308)",
    })
    void compileErrorsNameThePositionAndReason(String sql, int position, String reason) {
        assertThatThrownBy(() -> SqlParser.parse(sql))
                .isInstanceOf(SqlCompileException.class)
                .hasMessage("Invalid SQL92 expression at position " + position + ": " + reason);
    }

    @Test
    void nullExpressionIsAnError() {
        assertThatThrownBy(() -> SqlParser.parse(null)).hasMessageContaining("no expression");
    }
}
