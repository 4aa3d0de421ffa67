package io.rocketcluster.broker.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Client-created topics and groups cannot make the metrics grow without end. */
class MetricLabelBoundsTest {
    private static CounterSnapshot counter(BrokerMetrics m, String name) {
        for (MetricSnapshot s : m.registry().scrape(n -> n.equals(name)).stream().toList()) {
            if (s instanceof CounterSnapshot c) {
                return c;
            }
        }
        throw new AssertionError("no counter " + name);
    }

    @Test
    void topicsAndGroupsPastTheBudgetAreCountedUnderOther() {
        BrokerMetrics m = new BrokerMetrics(new BrokerMetrics.Sources(null, null, () -> null, () -> null,
                "c", "b", 0, "ASYNC_MASTER", 10));
        for (int i = 0; i < 5000; i++) {
            m.messagesIn("topic-" + i, 1, 100);
            m.messagesOut("topic-" + i, "group-" + i, 2, 200);
        }
        CounterSnapshot in = counter(m, "rocketcluster_messages_in");
        Set<String> topics = new HashSet<>();
        double total = 0;
        for (CounterSnapshot.CounterDataPointSnapshot p : in.getDataPoints()) {
            topics.add(p.getLabels().get("topic"));
            total += p.getValue();
        }
        assertThat(topics).hasSize(11).contains("topic-0", "topic-9", LabelBudget.OTHER);
        assertThat(total).as("nothing is lost, only aggregated").isEqualTo(5000);
        CounterSnapshot out = counter(m, "rocketcluster_messages_out");
        assertThat(out.getDataPoints()).hasSizeLessThanOrEqualTo(11 * 11);
        double delivered = out.getDataPoints().stream().mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
        assertThat(delivered).isEqualTo(10000);
    }
}
