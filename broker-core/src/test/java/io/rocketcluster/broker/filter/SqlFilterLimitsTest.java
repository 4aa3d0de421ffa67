package io.rocketcluster.broker.filter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** sqlFilterMaxLength, sqlFilterMaxDepth and sqlFilterCacheMaxBytes. */
class SqlFilterLimitsTest {
    private static final int HUGE = 100_000;

    static String parens(int n, String inner) {
        return "(".repeat(n) + inner + ")".repeat(n);
    }

    static String nots(int n, String inner) {
        return "NOT ".repeat(n) + inner;
    }

    static String chain(int operands, String op, String operand) {
        return (operand + " " + op + " ").repeat(operands - 1) + operand;
    }

    private static void refusedForDepth(SqlCompiler c, String sql, int max) {
        Throwable t = catchThrowable(() -> c.compile(sql));
        assertThat(t).isInstanceOf(SqlCompileException.class)
                .hasMessageContaining("sqlFilterMaxDepth=" + max);
    }

    // ---- depth ------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"parens", "nots", "and", "or", "minus", "mixed"})
    void anExpressionOfDepth100000IsRefusedQuicklyWithoutOverflowingTheStack(String kind) {
        String sql = switch (kind) {
            case "parens" -> parens(HUGE, "a = 1");
            case "nots" -> nots(HUGE, "(a = 1)");
            case "and" -> chain(HUGE, "AND", "a = 1");
            case "or" -> chain(HUGE, "OR", "a = 1");
            case "minus" -> "- ".repeat(HUGE) + "a > 1"; // "--" would start a comment
            default -> "(NOT ".repeat(HUGE / 2) + "a = 1" + ")".repeat(HUGE / 2);
        };
        // the length limit must not be what stops it
        SqlCompiler c = new SqlCompiler(16, Integer.MAX_VALUE, SqlCompiler.DEFAULT_MAX_DEPTH, 1 << 20);
        int max = SqlCompiler.DEFAULT_MAX_DEPTH;
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> refusedForDepth(c, sql, max));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> refusedForDepth(c, sql, max)); // again
    }

    @Test
    void exactlyTheMaxDepthCompilesAndOneMoreIsRefused() throws Exception {
        SqlCompiler c = new SqlCompiler();
        int max = SqlCompiler.DEFAULT_MAX_DEPTH;
        // a = 1 is one level; each parenthesis, NOT and sign one more; a chain of n operands n levels
        assertThat(c.compile(parens(max - 1, "a = 1")).matches(Map.of("a", "1")::get)).isTrue();
        refusedForDepth(c, parens(max, "a = 1"), max);
        assertThat(c.compile(parens(max, "TRUE")).matches(k -> null)).isTrue();
        refusedForDepth(c, parens(max + 1, "TRUE"), max);

        assertThat(c.compile(nots(max, "TRUE")).matches(k -> null)).isTrue();  // an even number of NOTs
        refusedForDepth(c, nots(max + 1, "TRUE"), max);
        assertThat(c.compile(nots(max - 2, "(a = 1)")).matches(Map.of("a", "1")::get)).isTrue();
        refusedForDepth(c, nots(max - 1, "(a = 1)"), max);

        Expression and = c.compile(chain(max, "AND", "a = 1"));
        assertThat(and.matches(Map.of("a", "1")::get)).isTrue();
        assertThat(and.toString()).isNotEmpty();
        refusedForDepth(c, chain(max + 1, "AND", "a = 1"), max);
        assertThat(c.compile(chain(max, "OR", "a = 1")).matches(Map.of("a", "2")::get)).isFalse();
        refusedForDepth(c, chain(max + 1, "OR", "a = 1"), max);
        assertThat(c.compile(chain(max, "=", "TRUE")).matches(k -> null)).isTrue();
        refusedForDepth(c, chain(max + 2, "=", "TRUE"), max);
        assertThat(c.compile("- ".repeat(max - 1) + "a > 1").matches(Map.of("a", "2")::get)).isFalse();
        refusedForDepth(c, "- ".repeat(max) + "a > 1", max);
    }

    @Test
    void aSmallerConfiguredDepthIsHonouredAndNamedWithItsValue() throws Exception {
        SqlCompiler c = new SqlCompiler(16, 4096, 3, 1 << 20);
        c.compile("(a = 1 AND b = 2)");
        c.compile("a BETWEEN 1 AND 2 OR b = 1");
        c.compile("NOT (a IN ('x', 'y'))");
        Throwable t = catchThrowable(() -> c.compile("a = 1 AND (b = 2 OR (c = 3))"));
        assertThat(t).isInstanceOf(SqlCompileException.class)
                .hasMessageStartingWith("Invalid SQL92 expression at position 11: ")
                .hasMessageContaining("sqlFilterMaxDepth=3");
    }

    @Test
    void longInListsAreOneLevel() throws Exception {
        StringBuilder in = new StringBuilder("a IN ('v0'");
        for (int i = 1; i < 5000; i++) {
            in.append(",'v").append(i).append('\'');
        }
        String sql = in.append(')').toString();
        SqlCompiler c = new SqlCompiler(16, Integer.MAX_VALUE, 2, 1 << 20);
        assertThat(c.compile(sql).matches(Map.of("a", "v4999")::get)).isTrue();
    }

    // ---- length -----------------------------------------------------------------------------

    @Test
    void exactlyTheMaxLengthCompilesAndOneMoreIsRefusedBeforeTokenizing() throws Exception {
        SqlCompiler c = new SqlCompiler();
        int max = SqlCompiler.DEFAULT_MAX_LENGTH;
        String base = "a = 1";
        String atMax = base + " ".repeat(max - base.length());
        assertThat(atMax).hasSize(max);
        assertThat(c.compile(atMax).matches(Map.of("a", "1")::get)).isTrue();

        String over = atMax + " ";
        assertThatThrownBy(() -> c.compile(over)).isInstanceOf(SqlCompileException.class)
                .hasMessage("Invalid SQL92 expression at position " + (max + 1) + ": the expression is " + (max + 1)
                        + " characters long, longer than sqlFilterMaxLength=" + max);
        // refused before tokenizing: an unterminated string is not what is reported
        assertThatThrownBy(() -> c.compile("'" + "x".repeat(16 << 20)))
                .isInstanceOf(SqlCompileException.class).hasMessageContaining("sqlFilterMaxLength=" + max);
        assertThat(c.size()).isEqualTo(1);  // overlong texts are not remembered

        SqlCompiler small = new SqlCompiler(16, 10, 64, 1 << 20);
        small.compile("a = 123456");
        assertThatThrownBy(() -> small.compile("a = 1234567")).hasMessageContaining("sqlFilterMaxLength=10");
    }

    // ---- cache bytes ------------------------------------------------------------------------

    @Test
    void theCacheNeverExceedsItsByteBoundAndStillReturnsCachedFilters() throws Exception {
        long maxBytes = 64 * 1024;
        SqlCompiler c = new SqlCompiler(SqlCompiler.DEFAULT_CAPACITY, 4096, 64, maxBytes);
        String hot = "hot = 1";
        Expression hotExpr = c.compile(hot);
        for (int i = 0; i < 5000; i++) {
            String pad = "x".repeat(i % 3000);
            String sql = "a = " + i + " OR b = '" + pad + "'";
            Expression e = c.compile(sql);
            assertThat(c.compile(sql)).isSameAs(e);       // just compiled: remembered
            assertThat(c.compile(hot)).isSameAs(hotExpr); // kept most recently used
            assertThat(c.cachedBytes()).isLessThanOrEqualTo(maxBytes);
        }
        assertThat(c.size()).isGreaterThan(1);

        // the counted bytes are exactly the remembered entries' sizes
        SqlCompiler d = new SqlCompiler(100, 4096, 64, 3 * SqlCompiler.entryBytes("a = 1"));
        d.compile("a = 1");
        d.compile("a = 2");
        d.compile("a = 3");
        assertThat(d.size()).isEqualTo(3);
        assertThat(d.cachedBytes()).isEqualTo(3 * SqlCompiler.entryBytes("a = 1"));
        Expression first = d.compile("a = 1");  // most recent now; a = 2 is the eldest
        d.compile("a = 4");
        assertThat(d.size()).isEqualTo(3);
        assertThat(d.compile("a = 1")).isSameAs(first);
        assertThat(d.cachedBytes()).isEqualTo(3 * SqlCompiler.entryBytes("a = 1"));
        // an entry larger than the whole bound is compiled but not remembered
        Expression big = d.compile("a = 1" + " ".repeat(400));
        assertThat(d.compile("a = 1" + " ".repeat(400))).isNotSameAs(big).isEqualTo(big);
        assertThat(d.cachedBytes()).isLessThanOrEqualTo(3 * SqlCompiler.entryBytes("a = 1"));

        SqlCompiler none = new SqlCompiler(100, 4096, 64, 0);
        none.compile("a = 1");
        assertThat(none.size()).isZero();
    }

    @Test
    void theByteBoundHoldsUnderConcurrentUse() throws Exception {
        long maxBytes = 16 * 1024;
        SqlCompiler c = new SqlCompiler(SqlCompiler.DEFAULT_CAPACITY, 4096, 64, maxBytes);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 2000; i++) {
                        String sql = "a = " + (thread * 100_000 + i) + " AND b = '" + "y".repeat(i % 500) + "'";
                        try {
                            assertThat(c.compile(sql).matches(Map.of("a", "-1")::get)).isFalse();
                        } catch (SqlCompileException e) {
                            throw new AssertionError(e);
                        }
                        assertThat(c.cachedBytes()).isLessThanOrEqualTo(maxBytes);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(c.cachedBytes()).isLessThanOrEqualTo(maxBytes).isPositive();
    }

    @Test
    void invalidLimitsAreRefused() {
        assertThatThrownBy(() -> new SqlCompiler(1, 0, 64, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SqlCompiler(1, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SqlCompiler(1, 1, 1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
