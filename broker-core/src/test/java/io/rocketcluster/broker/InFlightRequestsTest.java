package io.rocketcluster.broker;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class InFlightRequestsTest {
    @Test
    void closingRefusesNewRequestsAndWaitsForAdmittedOnes() throws Exception {
        InFlightRequests r = new InFlightRequests();
        assertThat(r.enter()).isTrue();
        assertThat(r.enter()).isTrue();
        r.close();
        assertThat(r.enter()).as("refused once closed").isFalse();
        assertThat(r.awaitIdle(50, TimeUnit.MILLISECONDS)).as("two still in flight").isFalse();
        CompletableFuture<Boolean> idle = CompletableFuture.supplyAsync(() -> {
            try {
                return r.awaitIdle(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        r.exit();
        r.exit();
        assertThat(idle.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(r.count()).isZero();
    }

    @Test
    void idleWhenNothingWasAdmitted() throws Exception {
        InFlightRequests r = new InFlightRequests();
        r.close();
        assertThat(r.awaitIdle(0, TimeUnit.MILLISECONDS)).isTrue();
    }
}
