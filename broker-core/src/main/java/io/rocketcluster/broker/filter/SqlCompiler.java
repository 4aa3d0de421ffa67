package io.rocketcluster.broker.filter;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiles SQL92 filter expressions and remembers the outcome (the expression or its compile error)
 * by expression text in a bounded least-recently-used map, since every pull of a subscription
 * carries or refers to the same text. Thread-safe.
 *
 * <p>Bounds (broker.conf keys in parentheses): an expression longer than {@code maxLength}
 * characters ({@code sqlFilterMaxLength}) is refused before it is tokenized and is not remembered;
 * one nesting deeper than {@code maxDepth} levels ({@code sqlFilterMaxDepth}, see {@link SqlParser})
 * is refused while it is parsed, so no input recurses deeper than that. The cache holds at most
 * {@code capacity} entries and at most {@code maxCacheBytes} bytes ({@code sqlFilterCacheMaxBytes}),
 * an entry counting {@link #entryBytes} (twice the expression's length plus
 * {@value #ENTRY_OVERHEAD_BYTES}); the least recently used entries are dropped first.
 */
public final class SqlCompiler {
    /** Default number of distinct expressions remembered. */
    public static final int DEFAULT_CAPACITY = 1024;
    /** Default {@code sqlFilterMaxLength}: characters. */
    public static final int DEFAULT_MAX_LENGTH = 16384;
    /** Default {@code sqlFilterMaxDepth}: nesting levels. */
    public static final int DEFAULT_MAX_DEPTH = 256;
    /** Default {@code sqlFilterCacheMaxBytes}: 4 MiB. */
    public static final long DEFAULT_CACHE_MAX_BYTES = 4L * 1024 * 1024;
    /** What an entry costs besides its text (map entry, compiled tree or error), in bytes. */
    public static final int ENTRY_OVERHEAD_BYTES = 256;

    private final int capacity;
    private final int maxLength;
    private final int maxDepth;
    private final long maxCacheBytes;
    /** Guarded by itself, as is {@link #cachedBytes}. */
    private final LinkedHashMap<String, Object> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedBytes;

    public SqlCompiler() {
        this(DEFAULT_CAPACITY);
    }

    /** With the default length, depth and byte limits. */
    public SqlCompiler(int capacity) {
        this(capacity, DEFAULT_MAX_LENGTH, DEFAULT_MAX_DEPTH, DEFAULT_CACHE_MAX_BYTES);
    }

    /**
     * @param capacity      most expressions remembered (positive)
     * @param maxLength     {@code sqlFilterMaxLength}: longest expression, in characters (positive)
     * @param maxDepth      {@code sqlFilterMaxDepth}: deepest nesting (positive)
     * @param maxCacheBytes {@code sqlFilterCacheMaxBytes}: most bytes remembered (0 remembers nothing)
     */
    public SqlCompiler(int capacity, int maxLength, int maxDepth, long maxCacheBytes) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        if (maxLength < 1) {
            throw new IllegalArgumentException("sqlFilterMaxLength must be positive: " + maxLength);
        }
        if (maxDepth < 1) {
            throw new IllegalArgumentException("sqlFilterMaxDepth must be positive: " + maxDepth);
        }
        if (maxCacheBytes < 0) {
            throw new IllegalArgumentException("sqlFilterCacheMaxBytes must not be negative: " + maxCacheBytes);
        }
        this.capacity = capacity;
        this.maxLength = maxLength;
        this.maxDepth = maxDepth;
        this.maxCacheBytes = maxCacheBytes;
    }

    /** What an expression of this text counts against {@code sqlFilterCacheMaxBytes}. */
    public static long entryBytes(String sql) {
        return 2L * sql.length() + ENTRY_OVERHEAD_BYTES;
    }

    /**
     * The compiled form of {@code sql}.
     *
     * @throws SqlCompileException with the position and reason when it does not compile or exceeds
     *                             {@code sqlFilterMaxLength} or {@code sqlFilterMaxDepth}
     */
    public Expression compile(String sql) throws SqlCompileException {
        if (sql == null) {
            throw new SqlCompileException(0, "no expression");
        }
        SqlParser.checkLength(sql, maxLength);  // before the cache: an overlong text is never a key
        Object cached;
        synchronized (cache) {
            cached = cache.get(sql);
        }
        if (cached == null) {
            try {
                cached = SqlParser.parse(sql, maxLength, maxDepth);
            } catch (SqlCompileException e) {
                cached = e;
            }
            remember(sql, cached);
        }
        if (cached instanceof SqlCompileException e) {
            throw e;
        }
        return (Expression) cached;
    }

    private void remember(String sql, Object compiled) {
        long bytes = entryBytes(sql);
        if (bytes > maxCacheBytes) {
            return;
        }
        synchronized (cache) {
            if (cache.put(sql, compiled) == null) {
                cachedBytes += bytes;
            }
            Iterator<Map.Entry<String, Object>> eldest = cache.entrySet().iterator();
            while (cache.size() > capacity || cachedBytes > maxCacheBytes) {
                Map.Entry<String, Object> e = eldest.next();
                cachedBytes -= entryBytes(e.getKey());
                eldest.remove();
            }
        }
    }

    /** Number of expressions remembered. */
    public int size() {
        synchronized (cache) {
            return cache.size();
        }
    }

    /** Bytes the remembered expressions count against {@code sqlFilterCacheMaxBytes}. */
    public long cachedBytes() {
        synchronized (cache) {
            return cachedBytes;
        }
    }
}
