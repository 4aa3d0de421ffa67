package io.rocketcluster.broker.util;

import io.rocketcluster.remoting.netty.QueuedRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RequestExecutorTest {

    private static QueuedRequest request(AtomicInteger ran, List<String> rejected) {
        return new QueuedRequest() {
            @Override
            public void run() {
                ran.incrementAndGet();
            }

            @Override
            public void reject(String remark) {
                rejected.add(remark);
            }
        };
    }

    @Test
    void requestsThatWaitedTooLongAreRefusedOldestFirstNamingTheKey() throws Exception {
        RequestExecutor executor = new RequestExecutor(1, 100, Executors.defaultThreadFactory());
        try {
            CountDownLatch blocker = new CountDownLatch(1);
            executor.execute(() -> {
                try {
                    blocker.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            AtomicInteger ran = new AtomicInteger();
            List<String> rejected = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 3; i++) {
                executor.execute(request(ran, rejected));
            }
            assertThat(executor.failStale(60_000, "waitTimeMillsInSendQueue")).isZero();

            AtomicInteger refused = new AtomicInteger();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> refused.addAndGet(executor.failStale(0, "waitTimeMillsInSendQueue")) == 3);
            executor.execute(request(ran, rejected));
            blocker.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> ran.get() == 1);

            assertThat(rejected).hasSize(3).allSatisfy(remark -> assertThat(remark)
                    .startsWith("[TIMEOUT_CLEAN_QUEUE]").contains("waitTimeMillsInSendQueue=0"));
            assertThat(executor.queueSize()).isZero();
        } finally {
            executor.shutdownNow();
            executor.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
