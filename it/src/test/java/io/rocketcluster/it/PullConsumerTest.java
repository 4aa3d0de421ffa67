package io.rocketcluster.it;

import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageClientIDSetter;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pull-style consumers and queue queries against one broker: DefaultMQPullConsumer paging through a
 * queue, DefaultLitePullConsumer assign + seek, view by offset message id, and the max/min offset,
 * earliest store time and search-by-timestamp queries.
 */
class PullConsumerTest {
    private static final String BROKER = "broker-a";

    private static LocalCluster cluster;
    private static DefaultMQProducer producer;
    private static DefaultMQPullConsumer pull;
    private static final List<Object> clients = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster("pull-consumer");
        cluster.startNamesrv();
        cluster.broker(BROKER, 0, Map.of()).start();
        producer = Clients.producer(cluster.namesrvAddr());
        pull = Clients.pullConsumer(cluster.namesrvAddr());
    }

    @AfterAll
    static void stop() throws Exception {
        Clients.shutdownAll(clients);
        Clients.shutdownAll(List.of(pull, producer));
        cluster.close();
    }

    @Test
    void pullConsumerPagesThroughAQueueFromOffsetZero() throws Exception {
        String topic = Clients.unique("Pull");
        MessageQueue q1 = new MessageQueue(topic, BROKER, 1);
        for (int i = 0; i < 10; i++) {
            SendResult r = send(Clients.message(topic, i % 2 == 0 ? "TagA" : "TagB", "p-" + i), q1);
            assertThat(r.getQueueOffset()).isEqualTo(i);
        }
        Set<MessageQueue> mqs = subscribeQueues(topic);
        assertThat(mqs).hasSize(4).contains(q1);

        PullResult first = pull.pull(q1, "*", 0, 4);
        assertThat(first.getPullStatus()).isEqualTo(PullStatus.FOUND);
        assertThat(first.getMsgFoundList()).extracting(MessageExt::getQueueOffset).containsExactly(0L, 1L, 2L, 3L);
        assertThat(first.getNextBeginOffset()).isEqualTo(4);
        assertThat(first.getMinOffset()).isZero();
        assertThat(first.getMaxOffset()).isEqualTo(10);

        List<MessageExt> all = new ArrayList<>(first.getMsgFoundList());
        long next = first.getNextBeginOffset();
        PullResult r;
        while ((r = pull.pull(q1, "*", next, 4)).getPullStatus() == PullStatus.FOUND) {
            assertThat(r.getMsgFoundList()).hasSizeBetween(1, 4);
            assertThat(r.getMsgFoundList().get(0).getQueueOffset()).isEqualTo(next);
            all.addAll(r.getMsgFoundList());
            next = r.getNextBeginOffset();
        }
        assertThat(r.getPullStatus()).isEqualTo(PullStatus.NO_NEW_MSG);
        assertThat(r.getNextBeginOffset()).isEqualTo(10);
        assertThat(all).extracting(MessageExt::getKeys)
                .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "p-" + i).toList());
        assertThat(all).allSatisfy(m -> {
            assertThat(m.getTopic()).isEqualTo(topic);
            assertThat(m.getQueueId()).isEqualTo(1);
            assertThat(new String(m.getBody())).isEqualTo("body of " + m.getKeys());
        });

        PullResult beyond = pull.pull(q1, "*", 25, 4);
        assertThat(beyond.getPullStatus()).isEqualTo(PullStatus.OFFSET_ILLEGAL);
        assertThat(beyond.getNextBeginOffset()).isEqualTo(10);

        PullResult tagged = pull.pull(q1, "TagB", 0, 32);
        assertThat(tagged.getPullStatus()).isEqualTo(PullStatus.FOUND);
        assertThat(tagged.getMsgFoundList()).extracting(MessageExt::getKeys)
                .containsExactly("p-1", "p-3", "p-5", "p-7", "p-9");
        assertThat(tagged.getNextBeginOffset()).isEqualTo(10);

        PullResult empty = pull.pull(new MessageQueue(topic, BROKER, 2), "*", 0, 4);
        assertThat(empty.getPullStatus()).isEqualTo(PullStatus.NO_NEW_MSG);
        assertThat(empty.getNextBeginOffset()).isZero();
    }

    @Test
    void litePullConsumerPollsFromTheSeekOffset() throws Exception {
        String topic = Clients.unique("Lite");
        MessageQueue q0 = new MessageQueue(topic, BROKER, 0);
        for (int i = 0; i < 10; i++) {
            send(Clients.message(topic, "TagL", "l-" + i), q0);
        }
        subscribeQueues(topic);

        DefaultLitePullConsumer lite = Clients.litePullConsumer(cluster.namesrvAddr());
        clients.add(lite);
        lite.start();
        lite.assign(List.of(q0));
        lite.seek(q0, 6);
        List<MessageExt> polled = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            polled.addAll(lite.poll(200));
            return polled.size() >= 4;
        });
        assertThat(polled.get(0).getQueueOffset()).isEqualTo(6);
        assertThat(polled).extracting(MessageExt::getQueueOffset).containsExactly(6L, 7L, 8L, 9L);
        assertThat(polled).extracting(MessageExt::getKeys).containsExactly("l-6", "l-7", "l-8", "l-9");
    }

    @Test
    void viewMessageByOffsetMsgIdReturnsTheStoredMessage() throws Exception {
        String topic = Clients.unique("View");
        send(Clients.message(topic, "TagV", "view-0"));
        Message m = Clients.message(topic, "TagV", "view-key other-key");
        m.putUserProperty("color", "green");
        SendResult r = send(m);

        MessageExt got = pull.viewMessage(r.getOffsetMsgId());
        assertThat(got.getTopic()).isEqualTo(topic);
        assertThat(got.getBody()).isEqualTo(m.getBody());
        assertThat(got.getKeys()).isEqualTo("view-key other-key");
        assertThat(got.getTags()).isEqualTo("TagV");
        assertThat(got.getUserProperty("color")).isEqualTo("green");
        assertThat(MessageClientIDSetter.getUniqID(got)).isEqualTo(r.getMsgId());
        assertThat(got.getQueueId()).isEqualTo(r.getMessageQueue().getQueueId());
        assertThat(got.getQueueOffset()).isEqualTo(r.getQueueOffset());
    }

    @Test
    void queueOffsetQueriesAndSearchByTimestamp() throws Exception {
        String topic = Clients.unique("Offsets");
        MessageQueue q0 = new MessageQueue(topic, BROKER, 0);
        int count = 6;
        long lastReturn = 0;
        long firstSendStart = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            // store times at least 5 ms apart: each send starts 5 ms after the previous one returned
            long notBefore = lastReturn + 5;
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(1))
                    .until(() -> System.currentTimeMillis() >= notBefore);
            SendResult r = send(Clients.message(topic, "TagT", "t-" + i), q0);
            assertThat(r.getQueueOffset()).isEqualTo(i);
            lastReturn = System.currentTimeMillis();
        }
        subscribeQueues(topic);

        PullResult all = pull.pull(q0, "*", 0, 32);
        assertThat(all.getMsgFoundList()).hasSize(count);
        long[] storeTimes = all.getMsgFoundList().stream().mapToLong(MessageExt::getStoreTimestamp).toArray();
        for (int i = 1; i < count; i++) {
            assertThat(storeTimes[i] - storeTimes[i - 1]).as("store time gap before " + i).isGreaterThanOrEqualTo(5);
        }

        assertThat(pull.maxOffset(q0)).isEqualTo(count);
        assertThat(pull.minOffset(q0)).isZero();
        assertThat(storeTimes[0]).isBetween(firstSendStart, lastReturn);
        assertThat(pull.earliestMsgStoreTime(q0)).isEqualTo(storeTimes[0]);
        for (int i = 0; i < count; i++) {
            assertThat(pull.searchOffset(q0, storeTimes[i])).as("exact store time of " + i).isEqualTo(i);
        }
        // between two messages the nearer one wins (docs/remoting.md §5 SEARCH_OFFSET_BY_TIMESTAMP)
        for (int i = 0; i + 1 < count; i++) {
            assertThat(pull.searchOffset(q0, storeTimes[i] + 1)).as("just after " + i).isEqualTo(i);
            assertThat(pull.searchOffset(q0, storeTimes[i + 1] - 1)).as("just before " + (i + 1)).isEqualTo(i + 1);
        }
        assertThat(pull.searchOffset(q0, storeTimes[0] - 60_000)).as("before the first").isZero();
        assertThat(pull.searchOffset(q0, storeTimes[count - 1] + 60_000)).as("after the last").isEqualTo(count - 1);

        MessageQueue unused = new MessageQueue(topic, BROKER, 3);
        assertThat(pull.maxOffset(unused)).isZero();
        assertThat(pull.minOffset(unused)).isZero();
        assertThat(pull.searchOffset(unused, System.currentTimeMillis())).isZero();
    }

    /** The topic's queues as the pull consumer sees them, once the nameserver routes the new topic. */
    private static Set<MessageQueue> subscribeQueues(String topic) {
        AtomicReference<Set<MessageQueue>> found = new AtomicReference<>();
        await("route of " + topic).atMost(Duration.ofSeconds(20)).ignoreException(MQClientException.class)
                .until(() -> {
                    found.set(pull.fetchSubscribeMessageQueues(topic));
                    return found.get().size() == 4;
                });
        return found.get();
    }

    private static SendResult send(Message m) throws Exception {
        SendResult r = producer.send(m);
        assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        return r;
    }

    private static SendResult send(Message m, MessageQueue mq) throws Exception {
        SendResult r = producer.send(m, mq);
        assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        assertThat(r.getMessageQueue()).isEqualTo(mq);
        return r;
    }
}
