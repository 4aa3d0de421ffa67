package io.rocketcluster.bench;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyContext;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * Push-consumer listener that only counts. Messages born before this run started (left over in the
 * topic from an earlier run) are counted separately as stale, so they don't inflate consume TPS.
 * Thread-safe: called from the client's consume thread pool.
 */
final class ConsumeCounter implements MessageListenerConcurrently {
    private final long runStartMillis;
    private final LongAdder current = new LongAdder();
    private final LongAdder stale = new LongAdder();

    ConsumeCounter(long runStartMillis) {
        this.runStartMillis = runStartMillis;
    }

    @Override
    public ConsumeConcurrentlyStatus consumeMessage(List<MessageExt> msgs, ConsumeConcurrentlyContext context) {
        for (MessageExt m : msgs) {
            if (m.getBornTimestamp() >= runStartMillis) {
                current.increment();
            } else {
                stale.increment();
            }
        }
        return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    }

    long current() {
        return current.sum();
    }

    long stale() {
        return stale.sum();
    }
}
