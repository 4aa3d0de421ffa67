package io.rocketcluster.broker.filter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Evaluation against message properties (always strings), with RocketMQ's type and null rules. */
class SqlEvaluationTest {
    /** Properties from "k=v,k=v" pairs. */
    private static Map<String, String> props(String pairs) {
        Map<String, String> m = new HashMap<>();
        if (!pairs.isEmpty()) {
            for (String kv : pairs.split(",")) {
                int eq = kv.indexOf('=');
                m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return m;
    }

    private static Object eval(String sql, String pairs) throws SqlCompileException {
        return SqlParser.parse(sql).evaluate(props(pairs)::get);
    }

    private static boolean matches(String sql, String pairs) throws SqlCompileException {
        return SqlParser.parse(sql).matches(props(pairs)::get);
    }

    @ParameterizedTest(name = "{0} with {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // every operator on a numeric property
            "a = 5                 | a=5   | true",
            "a = 5                 | a=6   | false",
            "a <> 5                | a=6   | true",
            "a <> 5                | a=5   | false",
            "a > 4                 | a=5   | true",
            "a > 5                 | a=5   | false",
            "a >= 5                | a=5   | true",
            "a >= 6                | a=5   | false",
            "a < 6                 | a=5   | true",
            "a < 5                 | a=5   | false",
            "a <= 5                | a=5   | true",
            "a <= 4                | a=5   | false",
            "a BETWEEN 5 AND 5     | a=5   | true",
            "a BETWEEN 3 AND 6     | a=7   | false",
            "a BETWEEN 3 AND 6     | a=2   | false",
            "a NOT BETWEEN 3 AND 6 | a=7   | true",
            "a NOT BETWEEN 3 AND 6 | a=4   | false",
            "a IN ('1', '5')       | a=5   | true",
            "a IN ('1', '5')       | a=2   | false",
            "a NOT IN ('1', '5')   | a=2   | true",
            "a NOT IN ('1', '5')   | a=5   | false",
            "a IS NULL             | a=5   | false",
            "a IS NULL             | b=5   | true",
            "a IS NOT NULL         | a=5   | true",
            "a IS NOT NULL         | b=5   | false",
            // numbers: property strings are parsed as the literal's type; decimals and longs widen
            "a = 5.0               | a=5   | true",
            "a > 4.5               | a=5   | true",
            "a > 3.1E10            | a=31415000000.0 | true",
            "a = 3000000000        | a=3000000000 | true",
            "a > 2147483647L       | a=2147483647 | false",
            // the property is parsed as the literal's type: an int literal wants an int (RocketMQ)
            "a > 2147483647        | a=3000000000 | false",
            "a > 2147483648        | a=3000000000 | true",
            "a = 10L               | a=10  | true",
            "a > -5                | a=-3  | true",
            "a < -5                | a=-3  | false",
            "a = 1e3               | a=1000 | true",
            "a = .5                | a=0.5 | true",
            "5 < a                 | a=6   | true",
            // two properties are ordered as numbers, not as text
            "a > b                 | a=10,b=9 | true",
            "a < b                 | a=10,b=9 | false",
            "a = b                 | a=x,b=x  | true",
            // strings
            "color = 'red'         | color=red  | true",
            "color = 'red'         | color=Red  | false",
            "color <> 'red'        | color=blue | true",
            "s = 'it''s'           | s=it's     | true",
            "s = ''                | s=         | true",
            "'red' = color         | color=red  | true",
            // booleans: the property string is read with Boolean.valueOf
            "f = TRUE              | f=true  | true",
            "f = TRUE              | f=TRUE  | true",
            "f = TRUE              | f=yes   | false",
            "f = FALSE             | f=no    | true",
            "TRUE                  | a=1     | true",
            "FALSE                 | a=1     | false",
            "NOT FALSE             | \"\"      | true",
            "1 = 1                 | \"\"      | true",
            "'a' = 'b'             | \"\"      | false",
            "1 = TRUE              | \"\"      | false",
            // logic
            "a = 1 OR b = 2 AND c = 3       | a=1,b=0,c=0 | true",
            "a = 1 OR b = 2 AND c = 3       | a=0,b=2,c=3 | true",
            "a = 1 OR b = 2 AND c = 3       | a=0,b=2,c=0 | false",
            "(a = 1 OR b = 2) AND c = 3     | a=1,b=0,c=0 | false",
            "NOT (a = 1 AND b = 2)          | a=1,b=3     | true",
            "NOT (a = 1) AND NOT (b = 2)    | a=0,b=0     | true",
            // NOT binds to the property, as in RocketMQ: (NOT a) = 1 is TRUE = 1, never true
            "NOT a = 1                      | a=2         | false",
            "NOT a = 1                      | a=1         | false",
            "a BETWEEN 3 AND 6 AND color = 'red' | a=4,color=red  | true",
            "a BETWEEN 3 AND 6 AND color = 'red' | a=4,color=blue | false",
            "a BETWEEN 3 AND 6 AND color = 'red' | a=9,color=red  | false",
            "TAGS IN ('TagA', 'TagB') AND KEYS IS NOT NULL | TAGS=TagA,KEYS=k1 | true",
            "TAGS = 'TagA' OR TAGS = 'TagC' | TAGS=TagB   | false",
            // keywords any case
            "a between 1 and 3 and b in ('x') or c is null | a=2,b=x,c=1 | true",
    })
    void matchesLikeRocketMq(String sql, String pairs, boolean expected) throws Exception {
        assertThat(matches(sql, pairs)).isEqualTo(expected);
    }

    @Test
    void missingPropertiesAreUnknownAndUnknownNeverMatches() throws Exception {
        assertThat(eval("a = 1", "")).isNull();
        assertThat(eval("a <> 1", "")).isNull();
        assertThat(eval("a > 1", "")).isNull();
        assertThat(eval("a BETWEEN 1 AND 2", "")).isNull();
        assertThat(eval("a NOT BETWEEN 1 AND 2", "")).isNull();
        assertThat(eval("a IN ('x')", "")).isNull();
        assertThat(eval("a NOT IN ('x')", "")).isNull();
        assertThat(eval("NOT (a = 1)", "")).isNull();
        assertThat(eval("-a > 1", "a=5")).isNull();           // minus applies to numbers only
        assertThat(eval("NULL", "")).isNull();
        assertThat(matches("a = 1", "")).isFalse();
        assertThat(matches("a <> 1", "")).isFalse();
        assertThat(matches("NOT (a = 1)", "")).isFalse();
        assertThat(matches("NULL", "")).isFalse();
    }

    @Test
    void unknownInAndOrFollowsThreeValuedLogic() throws Exception {
        assertThat(eval("a = 1 AND b = 2", "b=2")).isNull();
        assertThat(eval("a = 1 AND b = 2", "b=3")).isEqualTo(false);
        assertThat(eval("a = 1 AND FALSE", "")).isEqualTo(false);
        assertThat(eval("a = 1 OR b = 2", "b=2")).isEqualTo(true);
        assertThat(eval("a = 1 OR b = 2", "b=3")).isNull();
        assertThat(eval("a = 1 OR TRUE", "")).isEqualTo(true);
        assertThat(eval("a IS NULL OR a = 'hello'", "")).isEqualTo(true);
        assertThat(eval("a IS NULL OR a = 'hello'", "a=hello")).isEqualTo(true);
        assertThat(eval("a IS NULL OR a = 'hello'", "a=bye")).isEqualTo(false);
    }

    @Test
    void equalityNullRulesAreRocketMqs() throws Exception {
        // null on the left only: unknown; null on the right only: FALSE; both null: TRUE
        assertThat(eval("a = 'x'", "")).isNull();
        assertThat(eval("'x' = a", "")).isEqualTo(false);
        assertThat(eval("'x' <> a", "")).isEqualTo(true);
        assertThat(eval("a = b", "")).isEqualTo(true);
        assertThat(eval("a = b", "a=1")).isEqualTo(false);
        assertThat(eval("a = b", "b=1")).isNull();
    }

    @Test
    void barePropertiesAreFalseWhenPresentAndUnknownWhenMissing() throws Exception {
        assertThat(eval("a", "a=true")).isEqualTo(false);
        assertThat(eval("a", "")).isNull();
        assertThat(eval("NOT a", "a=1")).isEqualTo(true);
        assertThat(eval("NOT a", "")).isNull();
    }

    @Test
    void valuesThatDoNotConvertFailTheEvaluationAndDoNotMatch() throws Exception {
        assertThatThrownBy(() -> eval("a = 5", "a=abc")).isInstanceOf(SqlEvaluationException.class)
                .hasMessage("'abc' is not an integer");
        assertThatThrownBy(() -> eval("a = 5", "a=5.5")).hasMessage("'5.5' is not an integer");
        assertThatThrownBy(() -> eval("a = 5", "a=3000000000")).hasMessage("'3000000000' is not an integer");
        assertThatThrownBy(() -> eval("a > 3000000000", "a=x")).hasMessage("'x' is not a long");
        assertThatThrownBy(() -> eval("a > 1.5", "a=x")).hasMessage("'x' is not a number");
        assertThatThrownBy(() -> eval("a > b", "a=x,b=1")).hasMessage("'x' is not a number");
        assertThatThrownBy(() -> eval("TRUE = a", "a=true")).hasMessage("cannot compare boolean true with string 'true'");
        assertThat(matches("a = 5", "a=abc")).isFalse();
        assertThat(matches("a > b", "a=x,b=y")).isFalse();
        // an error ends the whole evaluation, even where OR would have been TRUE (RocketMQ)
        assertThat(matches("a > 5 OR b = 'x'", "a=abc,b=x")).isFalse();
        // but a short-circuited side is never evaluated
        assertThat(matches("b = 'x' OR a > 5", "a=abc,b=x")).isTrue();
        // IN compares text and never fails
        assertThat(matches("a IN ('abc')", "a=abc")).isTrue();
        assertThat(matches("a = 'abc'", "a=abc")).isTrue();
    }

    @Test
    void doublesAcceptJavaNumberSyntax() throws Exception {
        // Double.valueOf trims and accepts what Java accepts, like RocketMQ
        assertThat(matches("a > 1.5", "a= 2 ")).isTrue();
        assertThat(matches("a = 2.0", "a=2d")).isTrue();
    }
}
