package io.rocketcluster.it;

import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.consumer.store.ReadOffsetType;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

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

    /** A message with a tag, a key and a body derived from the key. */
    static Message message(String topic, String tag, String key) {
        return new Message(topic, tag, key, ("body of " + key).getBytes(StandardCharsets.UTF_8));
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

    /** A started pull consumer of a fresh group. */
    static DefaultMQPullConsumer pullConsumer(String namesrv) throws Exception {
        DefaultMQPullConsumer c = new DefaultMQPullConsumer(unique("pull"));
        c.setNamesrvAddr(namesrv);
        c.setInstanceName(unique("pc"));
        c.start();
        return c;
    }

    /** A (not yet started) lite pull consumer of a fresh group. */
    static DefaultLitePullConsumer litePullConsumer(String namesrv) {
        DefaultLitePullConsumer c = new DefaultLitePullConsumer(unique("lite"));
        c.setNamesrvAddr(namesrv);
        c.setInstanceName(unique("lc"));
        return c;
    }

    /**
     * Waits until the nameserver(s) of {@code producer} route {@code topic} with {@code queues} write
     * queues (a topic auto-created by a send is registered asynchronously) and returns them sorted.
     */
    static List<MessageQueue> awaitRoute(DefaultMQProducer producer, String topic, int queues) {
        AtomicReference<List<MessageQueue>> found = new AtomicReference<>();
        await("route of " + topic).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .ignoreException(MQClientException.class)
                .until(() -> {
                    List<MessageQueue> mqs = new ArrayList<>(producer.fetchPublishMessageQueues(topic));
                    mqs.sort(Comparator.comparing(MessageQueue::getBrokerName).thenComparing(MessageQueue::getQueueId));
                    found.set(mqs);
                    return mqs.size() == queues;
                });
        return found.get();
    }

    /**
     * Sends {@code message} to {@code mq} and waits until the broker's consume queue shows it: a send is
     * acknowledged once it is in the commitlog, and the consume queue (what max offset and pulls read)
     * catches up a moment later. Returns the queue's end offset after this message.
     */
    static long sendAndAwaitDispatched(DefaultMQProducer producer, Message message, MessageQueue mq) throws Exception {
        long end = producer.send(message, mq).getQueueOffset() + 1;
        await("dispatch of offset " + (end - 1) + " in " + mq).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(10)).until(() -> producer.maxOffset(mq) >= end);
        return end;
    }

    /**
     * True when the consumer has consumed everything up to the queues' current max offsets: its
     * in-memory committed offset of every queue equals the broker's max offset. Nothing is then in
     * flight in that consumer for those queues.
     */
    static boolean caughtUp(DefaultMQPushConsumer consumer, DefaultMQProducer admin, Collection<MessageQueue> mqs)
            throws MQClientException {
        for (MessageQueue mq : mqs) {
            long max = admin.maxOffset(mq);
            long mine = consumer.getOffsetStore().readOffset(mq, ReadOffsetType.READ_FROM_MEMORY);
            if (mine != max && !(max == 0 && mine <= 0)) {
                return false;
            }
        }
        return true;
    }

    static void shutdownAll(Collection<?> clients) {
        for (Object o : clients) {
            try {
                if (o instanceof DefaultMQProducer p) {
                    p.shutdown();
                } else if (o instanceof DefaultMQPushConsumer c) {
                    c.shutdown();
                } else if (o instanceof DefaultMQPullConsumer c) {
                    c.shutdown();
                } else if (o instanceof DefaultLitePullConsumer c) {
                    c.shutdown();
                }
            } catch (RuntimeException e) {
                // best effort: the servers are killed next
            }
        }
    }
}
