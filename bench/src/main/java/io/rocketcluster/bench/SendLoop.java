package io.rocketcluster.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Recorder;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;

/**
 * One producer thread: synchronous sends in a loop until told to stop, the shared message budget is
 * spent, or the thread is interrupted. Each send that returns is recorded in the shared
 * {@link Recorder} in microseconds; a send that throws or returns a status other than SEND_OK counts as
 * failed. Thread-safe collaborators only (the producer, the recorder and the counters are shared).
 */
final class SendLoop implements Runnable {
    /** Pause after a failed send, so a dead broker doesn't turn the loop into a spin. */
    private static final long FAILURE_PAUSE_MS = 10;

    private final DefaultMQProducer producer;
    private final String topic;
    private final byte[] body;
    private final Recorder latencyUs;
    private final LongAdder ok;
    private final LongAdder failed;
    private final AtomicLong budget;
    private final BooleanSupplier stop;

    SendLoop(DefaultMQProducer producer, String topic, byte[] body, Recorder latencyUs,
            LongAdder ok, LongAdder failed, AtomicLong budget, BooleanSupplier stop) {
        this.producer = producer;
        this.topic = topic;
        this.body = body;
        this.latencyUs = latencyUs;
        this.ok = ok;
        this.failed = failed;
        this.budget = budget;
        this.stop = stop;
    }

    @Override
    public void run() {
        while (!stop.getAsBoolean() && budget.getAndDecrement() > 0 && !Thread.currentThread().isInterrupted()) {
            Message msg = new Message(topic, "bench", body);
            long start = System.nanoTime();
            try {
                SendResult result = producer.send(msg);
                latencyUs.recordValue(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
                if (result.getSendStatus() == SendStatus.SEND_OK) {
                    ok.increment();
                } else {
                    failed.increment();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                failed.increment();
                try {
                    Thread.sleep(FAILURE_PAUSE_MS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
