package io.rocketcluster.e2e;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The official RocketMQ client (4.9.7), as an application on the host would use it. */
final class Clients {
    private Clients() {
    }

    static DefaultMQProducer producer(String namesrvAddr) throws Exception {
        DefaultMQProducer p = new DefaultMQProducer("e2e_producer_" + UUID.randomUUID().toString().substring(0, 8));
        p.setNamesrvAddr(namesrvAddr);
        p.setInstanceName("e2e-" + UUID.randomUUID());
        // the tests watch brokers leave and come back: refresh routes every second instead of 30 s
        p.setPollNameServerInterval(1000);
        p.setSendMsgTimeout(10_000);
        p.start();
        return p;
    }

    /** A push consumer from the first offset that records each message key and how often it came. */
    static final class Recorder implements AutoCloseable {
        final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        final AtomicInteger deliveries = new AtomicInteger();
        private final DefaultMQPushConsumer consumer;

        Recorder(String namesrvAddr, String group, String topic, long delayMillisPerMessage) throws Exception {
            consumer = new DefaultMQPushConsumer(group);
            consumer.setNamesrvAddr(namesrvAddr);
            consumer.setInstanceName("e2e-" + UUID.randomUUID());
            consumer.setPollNameServerInterval(1000);
            consumer.setPersistConsumerOffsetInterval(1000);
            consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
            consumer.subscribe(topic, "*");
            if (delayMillisPerMessage > 0) {
                consumer.setConsumeThreadMin(1);
                consumer.setConsumeThreadMax(1);
                consumer.setConsumeMessageBatchMaxSize(1);
            }
            consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                for (MessageExt m : msgs) {
                    String key = m.getKeys() != null ? m.getKeys() : m.getMsgId();
                    seen.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                    deliveries.incrementAndGet();
                }
                if (delayMillisPerMessage > 0) {
                    ComposeCluster.sleep(delayMillisPerMessage);
                }
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
            consumer.start();
        }

        int distinct() {
            return seen.size();
        }

        long duplicates() {
            return deliveries.get() - seen.size();
        }

        @Override
        public void close() {
            consumer.shutdown();
        }
    }
}
