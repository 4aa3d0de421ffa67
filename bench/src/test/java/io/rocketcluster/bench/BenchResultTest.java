package io.rocketcluster.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class BenchResultTest {

    private static Histogram latencies() {
        Histogram h = new Histogram(3);
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i * 10L); // 10 µs .. 10 ms
        }
        return h;
    }

    @Test
    void rowMatchesHeaderColumnsAndConvertsMicrosToMillis() {
        BenchResult r = BenchResult.of("Apache 4.9.7", "127.0.0.1:9876", "BenchTopic", 32, 1024, 20.0,
                latencies(), 200_000, 3, true, 190_000, 260_000, 0);

        String row = r.markdownRow();
        assertThat(row).startsWith("| Apache 4.9.7 | 32 | 1024 | 20 | 10000 | ");
        assertThat(row).contains("| 5.003 |").contains("| 9.903 |").contains("| 9.991 |").contains("| 10.007 |");
        assertThat(row).endsWith("| 3 | 9500 |");
        String headerLine = BenchResult.MARKDOWN_HEADER.lines().findFirst().orElseThrow();
        assertThat(row.chars().filter(c -> c == '|').count())
                .isEqualTo(headerLine.chars().filter(c -> c == '|').count());
    }

    @Test
    void summaryNamesEveryFigure() {
        BenchResult r = BenchResult.of("rc", "127.0.0.1:9876", "BenchTopic", 32, 1024, 20.0,
                latencies(), 200_000, 0, true, 190_000, 260_000, 12);

        assertThat(r.summary())
                .contains("send TPS           : 10000")
                .contains("p50 5.003  p99 9.903  p999 9.991  max 10.007")
                .contains("sends ok / failed  : 200000 / 0")
                .contains("consume TPS        : 9500")
                .contains("consumed / backlog : 260000 / 12");
    }

    @Test
    void consumerOffAndEmptyHistogramAreRenderedWithoutNaNs() {
        BenchResult r = BenchResult.of("x|y", "n", "t", 1, 1, 5.0, new Histogram(3), 0, 7, false, 0, 0, 0);

        assertThat(r.consumerOn()).isFalse();
        assertThat(r.markdownRow()).isEqualTo("| x\\|y | 1 | 1 | 5 | 0 | 0.000 | 0.000 | 0.000 | 0.000 | 7 | off |");
        assertThat(r.summary()).contains("consume TPS        : off").doesNotContain("NaN");
    }

    @Test
    void emptyWindowHasZeroRates() {
        BenchResult r = BenchResult.of("x", "n", "t", 1, 1, 0.0, new Histogram(3), 0, 0, true, 0, 0, 0);

        assertThat(r.sendTps()).isZero();
        assertThat(r.consumeTps()).isZero();
        assertThat(r.summary()).doesNotContain("NaN").doesNotContain("Infinity");
    }
}
