package io.rocketcluster.broker.stats;

import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RollingCounterTest {
    private static final RollingCounter.Resolution MINUTE = new RollingCounter.Resolution(10_000, 60_000);

    @Test
    void aYoungCounterCountsEverythingAtOnce() {
        RollingCounter c = new RollingCounter(0, MINUTE);
        c.add(5);
        c.add(5);
        RollingCounter.Window w = c.window(0, 2_000);
        assertThat(w.sum()).isEqualTo(10);
        assertThat(w.times()).isEqualTo(2);
        assertThat(w.tps()).isCloseTo(5.0, within(1e-9));
        assertThat(w.avgpt()).isCloseTo(5.0, within(1e-9));
        // under a second the rate is per second, not per elapsed millisecond
        assertThat(c.window(0, 10).tps()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void oldAddsLeaveTheWindow() {
        RollingCounter c = new RollingCounter(0, MINUTE);
        c.add(100);
        for (long t = 1_000; t <= 70_000; t += 1_000) {
            c.sample(t);
        }
        c.add(6);
        RollingCounter.Window w = c.window(0, 70_000);
        // the newest sample at or before 10 s (taken at 10 s, total 100) is the base
        assertThat(w.sum()).isEqualTo(6);
        assertThat(w.millis()).isEqualTo(60_000);
        assertThat(w.tps()).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void trafficKeepsPerTopicAndPerGroupNumbersAndDayMarks() {
        AtomicLong now = new AtomicLong(86_400_000L * 100 + 3_600_000L);
        TrafficStats t = new TrafficStats(now::get, ZoneOffset.UTC);
        t.put(3);
        t.topicPut("T", 3);
        t.groupGet("G", "T", 2);
        assertThat(t.keyed(TrafficStats.TOPIC_PUT_NUMS, "T").day().sum()).isEqualTo(3);
        assertThat(t.keyed(TrafficStats.GROUP_GET_NUMS, "T@G").minute().sum()).isEqualTo(2);
        assertThat(t.keyed(TrafficStats.GROUP_GET_NUMS, "T@other")).isNull();
        assertThat(t.keyed("NO_SUCH_STATS", "T")).isNull();
        assertThat(t.putTotals()).isEqualTo(new TrafficStats.DailyTotals(0, 0, 3));

        now.addAndGet(86_400_000L);
        t.sample();
        t.put(4);
        assertThat(t.putTotals()).isEqualTo(new TrafficStats.DailyTotals(0, 3, 7));
        assertThat(t.getTotals()).isEqualTo(new TrafficStats.DailyTotals(0, 2, 2));
        now.addAndGet(86_400_000L);
        t.sample();
        assertThat(t.putTotals()).isEqualTo(new TrafficStats.DailyTotals(3, 7, 7));

        t.removeTopic("T");
        assertThat(t.keyed(TrafficStats.TOPIC_PUT_NUMS, "T")).isNull();
        assertThat(t.keyed(TrafficStats.GROUP_GET_NUMS, "T@G")).isNull();
    }
}
