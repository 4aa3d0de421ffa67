package io.rocketcluster.broker.filter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiles SQL92 filter expressions and remembers the outcome (the expression or its compile error)
 * by expression text in a bounded least-recently-used map, since every pull of a subscription
 * carries or refers to the same text. Thread-safe.
 */
public final class SqlCompiler {
    /** Default number of distinct expressions remembered. */
    public static final int DEFAULT_CAPACITY = 1024;

    private final Map<String, Object> cache;

    public SqlCompiler() {
        this(DEFAULT_CAPACITY);
    }

    public SqlCompiler(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * The compiled form of {@code sql}.
     *
     * @throws SqlCompileException with the position and reason when it does not compile
     */
    public Expression compile(String sql) throws SqlCompileException {
        if (sql == null) {
            throw new SqlCompileException(0, "no expression");
        }
        Object cached;
        synchronized (cache) {
            cached = cache.get(sql);
        }
        if (cached == null) {
            try {
                cached = SqlParser.parse(sql);
            } catch (SqlCompileException e) {
                cached = e;
            }
            synchronized (cache) {
                cache.put(sql, cached);
            }
        }
        if (cached instanceof SqlCompileException e) {
            throw e;
        }
        return (Expression) cached;
    }

    /** Number of expressions remembered. */
    public int size() {
        synchronized (cache) {
            return cache.size();
        }
    }
}
