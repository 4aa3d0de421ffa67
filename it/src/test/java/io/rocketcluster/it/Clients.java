package io.rocketcluster.it;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Official-client factories with unique groups and instance names (one client instance per object). */
final class Clients {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private Clients() {
    }

    static String unique(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + SEQ.incrementAndGet();
    }

    static DefaultMQProducer producer(String namesrv) throws Exception {
        DefaultMQProducer p = new DefaultMQProducer(unique("pg"));
        p.setNamesrvAddr(namesrv);
        p.setInstanceName(unique("p"));
        p.setSendMsgTimeout(10000);
        p.start();
        return p;
    }

    /** A clustering push consumer from the first offset that hands every message to {@code sink}. */
    static DefaultMQPushConsumer pushConsumer(String namesrv, String group, String topic, String tags,
                                              Consumer<MessageExt> sink) throws Exception {
        DefaultMQPushConsumer c = new DefaultMQPushConsumer(group);
        c.setNamesrvAddr(namesrv);
        c.setInstanceName(unique("c"));
        c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        c.subscribe(topic, tags);
        c.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            msgs.forEach(sink);
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        return c;
    }

    static void shutdownAll(Collection<?> clients) {
        for (Object o : clients) {
            try {
                if (o instanceof DefaultMQProducer p) {
                    p.shutdown();
                } else if (o instanceof DefaultMQPushConsumer c) {
                    c.shutdown();
                }
            } catch (RuntimeException e) {
                // best effort: the servers are killed next
            }
        }
    }
}
