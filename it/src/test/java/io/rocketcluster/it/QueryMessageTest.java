package io.rocketcluster.it;

import org.apache.rocketmq.client.QueryResult;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The message index through the official client: {@code queryMessage(topic, key, maxNum, begin, end)}
 * (QUERY_MESSAGE) finds messages by key within a time range and not outside it, and
 * {@code viewMessage(topic, msgId)} with the client's UNIQ_KEY message id falls back to the
 * unique-key query and finds the message; both keep working after a clean restart and after a
 * kill -9. Small index files, so the messages span several of them.
 */
class QueryMessageTest {
    /** 4 index entries per message here (UNIQ_KEY + 3 keys); 40 entries per file = 10 messages. */
    private static final Map<String, String> SMALL_INDEX = Map.of("maxHashSlotNum", "64", "maxIndexNum", "41");

    private LocalCluster cluster;
    private final List<Object> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        Clients.shutdownAll(clients);
        if (cluster != null) {
            cluster.close();
        }
    }

    private DefaultMQProducer producer() throws Exception {
        DefaultMQProducer p = Clients.producer(cluster.namesrvAddr());
        clients.add(p);
        return p;
    }

    /** Sends {@code n} messages with keys {@code <prefix>-i <prefix> all}; returns the results in order. */
    private static List<SendResult> send(DefaultMQProducer producer, String topic, String prefix, int n) throws Exception {
        List<SendResult> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Message m = new Message(topic, "TagQ", prefix + "-" + i + " " + prefix + " all",
                    ("body of " + prefix + "-" + i).getBytes(StandardCharsets.UTF_8));
            SendResult r = producer.send(m);
            assertThat(r.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            sent.add(r);
        }
        return sent;
    }

    /** The messages found under {@code key}, waiting until there are {@code expected} (the index is built asynchronously). */
    private static List<MessageExt> awaitQuery(DefaultMQProducer producer, String topic, String key, long begin, long end,
                                               int expected) {
        AtomicReference<List<MessageExt>> found = new AtomicReference<>(List.of());
        await("query " + key).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .ignoreException(MQClientException.class)
                .until(() -> {
                    found.set(producer.queryMessage(topic, key, 64, begin, end).getMessageList());
                    return found.get().size() >= expected;
                });
        return found.get();
    }

    private static List<String> msgIds(List<MessageExt> messages) {
        return messages.stream().map(MessageExt::getMsgId).sorted().toList();
    }

    private static List<String> msgIdsOf(List<SendResult> sent) {
        return sent.stream().map(SendResult::getMsgId).sorted().toList();
    }

    private static String body(MessageExt m) {
        return new String(m.getBody(), StandardCharsets.UTF_8);
    }

    @Test
    void findsMessagesByKeyWithinATimeRangeAndByUniqueMessageId() throws Exception {
        cluster = new LocalCluster("query-message");
        cluster.startNamesrv();
        LocalCluster.BrokerNode broker = cluster.broker("broker-a", 0, SMALL_INDEX).start();
        DefaultMQProducer producer = producer();
        String topic = Clients.unique("Query");

        long beforeA = System.currentTimeMillis();
        List<SendResult> a = send(producer, topic, "a", 12);
        long afterA = System.currentTimeMillis();
        // the index keeps whole seconds: leave more than that between the two batches
        Thread.sleep(2200);
        long beforeB = System.currentTimeMillis();
        List<SendResult> b = send(producer, topic, "b", 12);

        List<MessageExt> all = awaitQuery(producer, topic, "all", 0, Long.MAX_VALUE, 24);
        List<SendResult> both = new ArrayList<>(a);
        both.addAll(b);
        assertThat(msgIds(all)).containsExactlyElementsOf(msgIdsOf(both));

        // a time range holds what was stored in it, and nothing else
        QueryResult onlyA = producer.queryMessage(topic, "all", 64, beforeA - 1000, afterA + 500);
        assertThat(msgIds(onlyA.getMessageList())).containsExactlyElementsOf(msgIdsOf(a));
        assertThat(onlyA.getIndexLastUpdateTimestamp()).isGreaterThanOrEqualTo(beforeB);
        QueryResult onlyB = producer.queryMessage(topic, "all", 64, beforeB - 1000, Long.MAX_VALUE);
        assertThat(msgIds(onlyB.getMessageList())).containsExactlyElementsOf(msgIdsOf(b));
        assertThat(msgIds(producer.queryMessage(topic, "b", 64, 0, Long.MAX_VALUE).getMessageList()))
                .containsExactlyElementsOf(msgIdsOf(b));

        // one key: the message, intact
        List<MessageExt> a3 = producer.queryMessage(topic, "a-3", 64, 0, Long.MAX_VALUE).getMessageList();
        assertThat(a3).hasSize(1);
        assertThat(a3.get(0).getMsgId()).isEqualTo(a.get(3).getMsgId());
        assertThat(body(a3.get(0))).isEqualTo("body of a-3");
        assertThat(a3.get(0).getKeys()).isEqualTo("a-3 a all");
        assertThat(a3.get(0).getTags()).isEqualTo("TagQ");
        assertThat(a3.get(0).getTopic()).isEqualTo(topic);

        // outside its time range, unknown key, unknown topic's key: nothing
        assertThatThrownBy(() -> producer.queryMessage(topic, "a-3", 64, beforeB - 1000, Long.MAX_VALUE))
                .isInstanceOf(MQClientException.class);
        assertThatThrownBy(() -> producer.queryMessage(topic, "never-sent", 64, 0, Long.MAX_VALUE))
                .isInstanceOf(MQClientException.class);
        // maxNum caps the answer
        assertThat(producer.queryMessage(topic, "all", 5, 0, Long.MAX_VALUE).getMessageList()).hasSize(5);

        // by the client's message id (UNIQ_KEY): the unique-key query
        for (SendResult r : List.of(a.get(0), a.get(7), b.get(11))) {
            MessageExt m = producer.viewMessage(topic, r.getMsgId());
            assertThat(m).as(r.getMsgId()).isNotNull();
            assertThat(m.getMsgId()).isEqualTo(r.getMsgId());
            assertThat(m.getKeys()).startsWith(body(m).substring("body of ".length()) + " ");
        }
        // and by the broker's offset message id (VIEW_MESSAGE_BY_ID)
        MessageExt byOffset = producer.viewMessage(b.get(5).getOffsetMsgId());
        assertThat(body(byOffset)).isEqualTo("body of b-5");

        // the messages span several index files
        try (Stream<Path> files = Files.list(broker.storeDir().resolve("index"))) {
            assertThat(files.toList()).hasSizeGreaterThanOrEqualTo(3)
                    .allSatisfy(p -> assertThat(p.getFileName().toString()).matches("\\d{17}"));
        }
    }

    @Test
    void queriesKeepWorkingAfterACleanRestartAndAfterAKill9() throws Exception {
        cluster = new LocalCluster("query-message-restart");
        cluster.startNamesrv();
        Map<String, String> conf = new HashMap<>(SMALL_INDEX);
        // the checkpoint only moves at a clean stop: after the kill -9 the index is cut back to it and
        // everything sent since is indexed again by the re-dispatch
        conf.put("flushIntervalConsumeQueue", "600000");
        LocalCluster.BrokerNode broker = cluster.broker("broker-a", 0, conf).start();
        DefaultMQProducer producer = producer();
        String topic = Clients.unique("QueryRestart");

        long before1 = System.currentTimeMillis();
        List<SendResult> p1 = send(producer, topic, "p1", 15);
        long after1 = System.currentTimeMillis();
        awaitQuery(producer, topic, "all", 0, Long.MAX_VALUE, 15);

        broker.stop();
        broker.start();
        assertThat(msgIds(awaitQuery(producer, topic, "all", 0, Long.MAX_VALUE, 15))).containsExactlyElementsOf(msgIdsOf(p1));
        assertThat(msgIds(producer.queryMessage(topic, "p1", 64, before1 - 1000, after1 + 500).getMessageList()))
                .containsExactlyElementsOf(msgIdsOf(p1));
        assertThat(producer.viewMessage(topic, p1.get(4).getMsgId()).getMsgId()).isEqualTo(p1.get(4).getMsgId());

        Thread.sleep(1200);
        List<SendResult> p2 = send(producer, topic, "p2", 15);
        awaitQuery(producer, topic, "all", 0, Long.MAX_VALUE, 30);

        broker.kill9();
        broker.start();
        List<SendResult> upToP2 = new ArrayList<>(p1);
        upToP2.addAll(p2);
        List<MessageExt> afterCrash = awaitQuery(producer, topic, "all", 0, Long.MAX_VALUE, 30);
        assertThat(msgIds(afterCrash)).containsExactlyElementsOf(msgIdsOf(upToP2));
        assertThat(msgIds(producer.queryMessage(topic, "p2", 64, 0, Long.MAX_VALUE).getMessageList()))
                .containsExactlyElementsOf(msgIdsOf(p2));
        assertThat(msgIds(producer.queryMessage(topic, "p1", 64, before1 - 1000, after1 + 500).getMessageList()))
                .containsExactlyElementsOf(msgIdsOf(p1));
        List<MessageExt> p2of7 = producer.queryMessage(topic, "p2-7", 64, 0, Long.MAX_VALUE).getMessageList();
        assertThat(p2of7).hasSize(1);
        assertThat(body(p2of7.get(0))).isEqualTo("body of p2-7");
        for (SendResult r : List.of(p1.get(0), p1.get(14), p2.get(0), p2.get(14))) {
            MessageExt m = producer.viewMessage(topic, r.getMsgId());
            assertThat(m).as(r.getMsgId()).isNotNull();
            assertThat(m.getMsgId()).isEqualTo(r.getMsgId());
        }

        // the index goes on after the recovery, without duplicates
        List<SendResult> p3 = send(producer, topic, "p3", 5);
        List<SendResult> everything = new ArrayList<>(upToP2);
        everything.addAll(p3);
        assertThat(msgIds(awaitQuery(producer, topic, "all", 0, Long.MAX_VALUE, 35)))
                .containsExactlyElementsOf(msgIdsOf(everything));
        assertThat(Files.readString(broker.logFile())).doesNotContain("cannot index");
    }
}
