package io.rocketcluster.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rocketcluster.broker.config.BrokerConfig;
import io.rocketcluster.broker.filter.Expression;
import io.rocketcluster.broker.filter.SqlCompileException;
import io.rocketcluster.broker.filter.SqlCompiler;
import io.rocketcluster.broker.filter.SqlMessageFilter;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static io.rocketcluster.fuzz.Checks.check;
import static io.rocketcluster.fuzz.Checks.checkEqual;

/**
 * SQL92 subscription filters (SqlTokenizer, SqlParser through {@link SqlCompiler}), compiled with the broker's
 * limits exactly as PullMessageProcessor and ClientManageProcessor build their compilers, then evaluated.
 */
class SqlFilterFuzzTest {
    private static final BrokerConfig CONFIG = new BrokerConfig();
    /** As the broker's processors configure it. */
    private static final SqlCompiler BROKER = new SqlCompiler(SqlCompiler.DEFAULT_CAPACITY,
            CONFIG.getSqlFilterMaxLength(), CONFIG.getSqlFilterMaxDepth(), CONFIG.getSqlFilterCacheMaxBytes());
    /** Tight limits and a tiny cache, so that fuzz inputs reach every limit and the cache's eviction. */
    private static final int TIGHT_LENGTH = 64;
    private static final int TIGHT_DEPTH = 4;
    private static final int TIGHT_CAPACITY = 4;
    private static final long TIGHT_CACHE_BYTES = 1024;
    private static final SqlCompiler TIGHT = new SqlCompiler(TIGHT_CAPACITY, TIGHT_LENGTH, TIGHT_DEPTH,
            TIGHT_CACHE_BYTES);
    /** Property values that exercise each conversion of SqlValues. */
    private static final String[] VALUES = {
        "1", "0", "-5", "2147483648", "9223372036854775808", "3.5", "1e3", "-0.0", "NaN", "Infinity", "abc", "",
        "true", "TRUE", " 1", "'x'", null,
    };

    /**
     * Input: the expression, UTF-8. Compiling throws nothing but SqlCompileException (no RuntimeException, no
     * StackOverflowError), also when served from the cache, and the same outcome twice; a stricter limit never
     * accepts more; the compiled tree is no deeper than sqlFilterMaxDepth allows. Evaluating against property maps
     * (none set, random values, all "1") yields TRUE, FALSE or null or fails with the evaluator's own
     * exception, and matching never throws.
     */
    @DictionaryEntries({"NOT", "AND", "OR", "BETWEEN", "IN", "IS", "NULL", "TRUE", "FALSE", "<>", ">=", "<=",
        "(", ")", "'", "''", "--", "/*", "*/", "1L", ".5", "1E3", "9223372036854775808", "TAGS"})
    @FuzzTest(maxDuration = "30s")
    void compileAndEvaluate(byte[] input) {
        String sql = new String(input, StandardCharsets.UTF_8);
        Outcome broker = compile(BROKER, sql);
        checkEqual(broker.describe(), compile(BROKER, sql).describe(), "outcome of compiling the same text again");
        Outcome tight = compile(TIGHT, sql);
        check(TIGHT.size() <= TIGHT_CAPACITY && TIGHT.cachedBytes() <= TIGHT_CACHE_BYTES,
                "cache holds %d entries of %d bytes, more than its bounds", TIGHT.size(), TIGHT.cachedBytes());
        if (tight.expression != null) {
            check(broker.expression != null, "compiles under tight limits but not the broker's: %s", broker.error);
            checkEqual(broker.expression.toString(), tight.expression.toString(), "expression under both limits");
            check(sql.length() <= TIGHT_LENGTH, "accepted %d characters over sqlFilterMaxLength=%d", sql.length(),
                    TIGHT_LENGTH);
            check(depth(tight.expression) <= 2 * TIGHT_DEPTH + 2, "tree of depth %d under sqlFilterMaxDepth=%d",
                    depth(tight.expression), TIGHT_DEPTH);
        }
        if (broker.expression == null) {
            return;
        }
        check(depth(broker.expression) <= 2 * CONFIG.getSqlFilterMaxDepth() + 2,
                "tree of depth %d under sqlFilterMaxDepth=%d", depth(broker.expression), CONFIG.getSqlFilterMaxDepth());
        Set<String> names = identifiers(sql);
        SplittableRandom random = new SplittableRandom(Arrays.hashCode(input));
        Map<String, String> randomValues = new HashMap<>();
        Map<String, String> ones = new HashMap<>();
        for (String name : names) {
            String v = VALUES[random.nextInt(VALUES.length)];
            if (v != null) {
                randomValues.put(name, v);
            }
            ones.put(name, "1");
        }
        for (Map<String, String> properties : java.util.List.of(Map.<String, String>of(), randomValues, ones)) {
            evaluate(broker.expression, properties);
        }
    }

    private record Outcome(Expression expression, SqlCompileException error) {
        String describe() {
            return expression != null ? "compiled " + expression : "refused: " + error.getMessage();
        }
    }

    private static Outcome compile(SqlCompiler compiler, String sql) {
        try {
            Expression e = compiler.compile(sql);
            check(e != null, "compile returned null");
            return new Outcome(e, null);
        } catch (SqlCompileException e) {
            check(e.position() >= 0 && e.position() <= sql.length(),
                    "error position %d outside the expression", e.position());
            return new Outcome(null, e);
        } catch (RuntimeException e) {
            throw new AssertionError("compiling may fail only with SqlCompileException, not " + e, e);
        }
    }

    private static void evaluate(Expression e, Map<String, String> properties) {
        Object value = null;
        boolean failed = false;
        try {
            value = e.evaluate(properties::get);
        } catch (RuntimeException ex) {
            if (!ex.getClass().getName().equals("io.rocketcluster.broker.filter.SqlEvaluationException")) {
                throw new AssertionError("evaluation may fail only with SqlEvaluationException, not " + ex, ex);
            }
            failed = true;
        }
        check(value == null || value instanceof Boolean, "a condition evaluated to %s", value);
        boolean matches = e.matches(properties::get);
        checkEqual(!failed && Boolean.TRUE.equals(value), matches, "matches() of " + e + " on " + properties);
        checkEqual(matches, new SqlMessageFilter(e).matches(properties), "SqlMessageFilter.matches");
    }

    /** Nodes on the longest path of a compiled tree (its record components that are expressions). */
    private static int depth(Expression e) {
        int deepest = 0;
        for (RecordComponent c : e.getClass().getRecordComponents()) {
            if (Expression.class.isAssignableFrom(c.getType())) {
                try {
                    Method accessor = c.getAccessor();
                    accessor.setAccessible(true);
                    deepest = Math.max(deepest, depth((Expression) accessor.invoke(e)));
                } catch (ReflectiveOperationException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        return deepest + 1;
    }

    /** Words that could be property names ([A-Za-z_$][A-Za-z0-9_$]*), keywords included. */
    private static Set<String> identifiers(String sql) {
        Set<String> names = new LinkedHashSet<>();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isLetter(c) && c < 128 || c == '_' || c == '$') {
                int start = i;
                while (i < sql.length() && (sql.charAt(i) < 128 && Character.isLetterOrDigit(sql.charAt(i))
                        || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
                    i++;
                }
                names.add(sql.substring(start, i));
            } else {
                i++;
            }
        }
        return names;
    }
}
