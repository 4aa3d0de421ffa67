package io.rocketcluster.it;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageClientExt;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sync, async, oneway and batch sends; a push consumer gets every body, key, tag and property intact,
 * and a batch lands in one queue with consecutive offsets.
 */
class SendReceiveTest {
    private static LocalCluster cluster;
    private static final List<Object> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster("send-receive");
        cluster.startNamesrv();
        cluster.broker("broker-a", 0, Map.of()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        Clients.shutdownAll(clients);
        cluster.close();
    }

    @Test
    void syncAsyncAndOnewaySendsAreAllConsumedIntact() throws Exception {
        String topic = Clients.unique("SendReceive");
        DefaultMQProducer producer = Clients.producer(cluster.namesrvAddr());
        clients.add(producer);

        Map<String, Message> sent = new ConcurrentHashMap<>();
        for (int i = 0; i < 20; i++) {
            Message m = message(topic, "sync-" + i, i % 2 == 0 ? "TagA" : "TagB");
            SendResult r = producer.send(m);
            assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            assertThat(r.getOffsetMsgId()).hasSize(32);
            sent.put("sync-" + i, m);
        }
        List<Throwable> asyncErrors = new CopyOnWriteArrayList<>();
        List<SendResult> asyncResults = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 20; i++) {
            Message m = message(topic, "async-" + i, "TagC");
            sent.put("async-" + i, m);
            producer.send(m, new SendCallback() {
                @Override
                public void onSuccess(SendResult r) {
                    asyncResults.add(r);
                }

                @Override
                public void onException(Throwable e) {
                    asyncErrors.add(e);
                }
            });
        }
        for (int i = 0; i < 20; i++) {
            Message m = message(topic, "oneway-" + i, "TagD");
            sent.put("oneway-" + i, m);
            producer.sendOneway(m);
        }
        // a body over 4 KiB, which the client compresses
        StringBuilder big = new StringBuilder();
        while (big.length() < 64 * 1024) {
            big.append("compressible body ").append(big.length()).append(' ');
        }
        Message large = new Message(topic, "TagL", "large", big.toString().getBytes(StandardCharsets.UTF_8));
        large.putUserProperty("size", "big");
        assertThat(producer.send(large).getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        sent.put("large", large);

        await().atMost(Duration.ofSeconds(20)).until(() -> asyncResults.size() + asyncErrors.size() == 20);
        assertThat(asyncErrors).isEmpty();

        Map<String, MessageExt> received = new ConcurrentHashMap<>();
        DefaultMQPushConsumer consumer = Clients.pushConsumer(cluster.namesrvAddr(), Clients.unique("cg"), topic, "*",
                m -> received.put(m.getKeys(), m));
        clients.add(consumer);
        consumer.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> received.size() == sent.size());
        for (Map.Entry<String, Message> e : sent.entrySet()) {
            MessageExt got = received.get(e.getKey());
            Message want = e.getValue();
            assertThat(got.getBody()).isEqualTo(want.getBody());
            assertThat(got.getTags()).isEqualTo(want.getTags());
            assertThat(got.getKeys()).isEqualTo(want.getKeys());
            assertThat(got.getTopic()).isEqualTo(topic);
            if (!e.getKey().equals("large")) {
                assertThat(got.getUserProperty("seq")).isEqualTo(want.getUserProperty("seq"));
            } else {
                assertThat(got.getUserProperty("size")).isEqualTo("big");
            }
            assertThat(got.getStoreHost().toString()).contains(cluster.namesrvAddr().isEmpty() ? "" : "127.0.0.1");
        }
    }

    @Test
    void batchSendStoresConsecutiveOffsetsInOneQueue() throws Exception {
        String topic = Clients.unique("Batch");
        DefaultMQProducer producer = Clients.producer(cluster.namesrvAddr());
        clients.add(producer);

        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(message(topic, "batch-" + i, "TagBatch"));
        }
        SendResult r = producer.send(batch);
        assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        String[] offsetMsgIds = r.getOffsetMsgId().split(",");
        String[] msgIds = r.getMsgId().split(",");
        assertThat(offsetMsgIds).hasSize(10).doesNotHaveDuplicates();
        assertThat(msgIds).hasSize(10).doesNotHaveDuplicates();
        int queueId = r.getMessageQueue().getQueueId();
        long firstOffset = r.getQueueOffset();
        Clients.awaitRoute(producer, topic, 4);

        Map<String, MessageExt> received = new ConcurrentHashMap<>();
        DefaultMQPushConsumer consumer = Clients.pushConsumer(cluster.namesrvAddr(), Clients.unique("cg"), topic, "*",
                m -> received.put(m.getKeys(), m));
        clients.add(consumer);
        consumer.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == batch.size());
        for (int i = 0; i < batch.size(); i++) {
            MessageExt got = received.get("batch-" + i);
            assertThat(got).as("batch-" + i).isNotNull();
            assertThat(got.getBody()).isEqualTo(batch.get(i).getBody());
            assertThat(got.getTags()).isEqualTo("TagBatch");
            assertThat(got.getUserProperty("seq")).isEqualTo("batch-" + i);
            assertThat(got.getQueueId()).isEqualTo(queueId);
            // one queue, consecutive offsets, in the batch's order
            assertThat(got.getQueueOffset()).isEqualTo(firstOffset + i);
            assertThat(got.getMsgId()).isEqualTo(msgIds[i]);
            assertThat(((MessageClientExt) got).getOffsetMsgId())
                    .isEqualTo(offsetMsgIds[i]);
        }
    }

    static Message message(String topic, String key, String tag) {
        Message m = new Message(topic, tag, key, ("body of " + key).getBytes(StandardCharsets.UTF_8));
        m.putUserProperty("seq", key);
        return m;
    }
}
