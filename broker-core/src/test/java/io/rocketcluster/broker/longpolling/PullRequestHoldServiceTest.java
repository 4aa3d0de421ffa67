package io.rocketcluster.broker.longpolling;

import io.netty.channel.embedded.EmbeddedChannel;
import io.rocketcluster.broker.longpolling.PullRequestHoldService.Admission;
import io.rocketcluster.broker.longpolling.PullRequestHoldService.HeldPull;
import io.rocketcluster.broker.store.MessageFilter;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PullRequestHoldServiceTest {
    private final Map<String, Long> maxOffsets = new ConcurrentHashMap<>();
    private final AtomicInteger reexecuted = new AtomicInteger();
    private PullRequestHoldService service;

    private PullRequestHoldService service(int maxHeld, int perConnection) {
        service = new PullRequestHoldService((ch, req) -> {
            reexecuted.incrementAndGet();
            return null;
        }, (topic, queueId) -> maxOffsets.getOrDefault(topic + "@" + queueId, 0L), Runnable::run, true,
                new PullRequestHoldService.Limits(maxHeld, perConnection));
        return service;
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    private static HeldPull pull(EmbeddedChannel ch, int queueId, MessageFilter filter) {
        return new HeldPull(RemotingCommand.request(11), ch, "T", queueId, 0, filter,
                System.currentTimeMillis() + 60_000);
    }

    @Test
    void aConnectionHoldsAtMostItsShareAndOthersStillGetTheirs() {
        service(100, 3);
        EmbeddedChannel greedy = new EmbeddedChannel();
        EmbeddedChannel polite = new EmbeddedChannel();
        for (int i = 0; i < 3; i++) {
            assertThat(service.hold(pull(greedy, i, MessageFilter.ALL))).isEqualTo(Admission.HELD);
        }
        assertThat(service.hold(pull(greedy, 3, MessageFilter.ALL))).isEqualTo(Admission.CONNECTION_FULL);
        assertThat(service.hold(pull(polite, 0, MessageFilter.ALL))).isEqualTo(Admission.HELD);
        assertThat(service.heldCount()).isEqualTo(4);
    }

    @Test
    void theBrokerHoldsAtMostItsLimitAndAWokenPullFreesItsSlot() {
        service(2, 10);
        EmbeddedChannel a = new EmbeddedChannel();
        EmbeddedChannel b = new EmbeddedChannel();
        assertThat(service.hold(pull(a, 0, MessageFilter.ALL))).isEqualTo(Admission.HELD);
        assertThat(service.hold(pull(b, 1, MessageFilter.ALL))).isEqualTo(Admission.HELD);
        assertThat(service.hold(pull(b, 2, MessageFilter.ALL))).isEqualTo(Admission.BROKER_FULL);

        maxOffsets.put("T@0", 1L);
        service.arrived("T", 0, 1, 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> reexecuted.get() == 1);
        assertThat(service.heldCount()).isEqualTo(1);
        assertThat(service.hold(pull(b, 2, MessageFilter.ALL))).isEqualTo(Admission.HELD);
    }

    @Test
    void arrivalsOnlyWakeMatchingPullsAndNeverFilterOnTheDispatcherThread() {
        service(20_000, 20_000);
        Set<Thread> filteringThreads = ConcurrentHashMap.newKeySet();
        MessageFilter onlyTag7 = tagsCode -> {
            filteringThreads.add(Thread.currentThread());
            return tagsCode == 7;
        };
        EmbeddedChannel ch = new EmbeddedChannel();
        for (int i = 0; i < 10_000; i++) {
            assertThat(service.hold(pull(ch, 0, onlyTag7))).isEqualTo(Admission.HELD);
        }
        for (long offset = 1; offset <= 10_000; offset++) {
            service.arrived("T", 0, offset, 3);
        }
        service.arrived("T", 0, 10_001, 7);
        await().atMost(Duration.ofSeconds(10)).until(() -> reexecuted.get() == 10_000);
        assertThat(filteringThreads).doesNotContain(Thread.currentThread()).isNotEmpty();
        assertThat(service.heldCount()).isZero();
    }

    @Test
    void aClosedConnectionsPullsAreDroppedByTheCheckAndFreeTheirSlots() {
        service(1, 1);
        EmbeddedChannel ch = new EmbeddedChannel();
        assertThat(service.hold(pull(ch, 0, MessageFilter.ALL))).isEqualTo(Admission.HELD);
        ch.close();
        service.check();
        assertThat(service.heldCount()).isZero();
        assertThat(reexecuted.get()).isZero();
        assertThat(service.hold(pull(new EmbeddedChannel(), 0, MessageFilter.ALL))).isEqualTo(Admission.HELD);
    }
}
