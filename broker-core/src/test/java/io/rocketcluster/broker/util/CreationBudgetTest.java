package io.rocketcluster.broker.util;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class CreationBudgetTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final CreationBudget budget = new CreationBudget("topics", "maxCountKey", 100, "perMinuteKey", 3, now::get);

    @Test
    void aBurstSpendsTheMinutesBudgetWhichRefillsOverTime() {
        for (int i = 0; i < 3; i++) {
            assertThat(budget.tryAcquire(10 + i)).isNull();
        }
        assertThat(budget.tryAcquire(13)).contains("perMinuteKey").contains("3 topics");
        now.addAndGet(19_000);
        assertThat(budget.refusal(13)).contains("perMinuteKey");
        now.addAndGet(1_000);
        assertThat(budget.tryAcquire(13)).isNull();
        assertThat(budget.tryAcquire(14)).contains("perMinuteKey");
        now.addAndGet(600_000);
        assertThat(budget.tryAcquire(14)).isNull();
    }

    @Test
    void creationStopsAtTheCountWhateverTheRate() {
        assertThat(budget.tryAcquire(99)).isNull();
        assertThat(budget.tryAcquire(100)).contains("maxCountKey").contains("stops at 100");
        assertThat(budget.refusal(250)).contains("maxCountKey");
    }

    @Test
    void refusalAloneSpendsNothing() {
        for (int i = 0; i < 10; i++) {
            assertThat(budget.refusal(0)).isNull();
        }
        assertThat(budget.tryAcquire(0)).isNull();
    }
}
