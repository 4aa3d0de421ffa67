package io.rocketcluster.broker.filter;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlCompilerTest {
    @Test
    void compiledExpressionsAreCachedByText() throws Exception {
        SqlCompiler c = new SqlCompiler(10);
        Expression e = c.compile("a > 1");
        assertThat(c.compile("a > 1")).isSameAs(e);
        assertThat(c.compile("a >  1")).isNotSameAs(e).isEqualTo(e);
        assertThat(c.size()).isEqualTo(2);
    }

    @Test
    void compileErrorsAreCachedToo() {
        SqlCompiler c = new SqlCompiler(10);
        Throwable first = org.assertj.core.api.Assertions.catchThrowable(() -> c.compile("a >"));
        Throwable second = org.assertj.core.api.Assertions.catchThrowable(() -> c.compile("a >"));
        assertThat(first).isInstanceOf(SqlCompileException.class).isSameAs(second);
        assertThat(c.size()).isEqualTo(1);
        assertThatThrownBy(() -> c.compile(null)).isInstanceOf(SqlCompileException.class);
    }

    @Test
    void theCacheIsBoundedAndKeepsRecentlyUsedEntries() throws Exception {
        SqlCompiler c = new SqlCompiler(3);
        Expression first = c.compile("a = 0");
        for (int i = 1; i < 10; i++) {
            c.compile("a = " + i);
            c.compile("a = 0"); // keeps it the most recently used
        }
        assertThat(c.size()).isEqualTo(3);
        assertThat(c.compile("a = 0")).isSameAs(first);
        assertThatThrownBy(() -> new SqlCompiler(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentCompilesAgree() throws Exception {
        SqlCompiler c = new SqlCompiler(8);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Expression>> fs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String sql = "a = " + (i % 16);
                fs.add(pool.submit(() -> c.compile(sql)));
            }
            for (int i = 0; i < fs.size(); i++) {
                assertThat(fs.get(i).get()).isEqualTo(new SqlCompiler(1).compile("a = " + (i % 16)));
            }
            assertThat(c.size()).isLessThanOrEqualTo(8);
        } finally {
            pool.shutdownNow();
        }
    }
}
