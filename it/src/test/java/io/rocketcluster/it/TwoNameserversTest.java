package io.rocketcluster.it;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A broker registered with two nameservers ({@code namesrvAddr=a;b}): clients that know only one of
 * them find the same routes and can produce and consume.
 */
class TwoNameserversTest {
    private static LocalCluster cluster;
    private static final List<Object> clients = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster("two-namesrv");
        cluster.startNamesrv();
        cluster.startNamesrv();
        assertThat(cluster.namesrvAddr()).contains(";");
        cluster.broker("broker-a", 0, Map.of()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        Clients.shutdownAll(clients);
        cluster.close();
    }

    @Test
    void clientsOfEitherNameserverFindTheBrokerAndItsTopics() throws Exception {
        List<String> namesrvs = cluster.namesrvAddrs();
        assertThat(namesrvs).hasSize(2);
        DefaultMQProducer viaFirst = Clients.producer(namesrvs.get(0));
        DefaultMQProducer viaSecond = Clients.producer(namesrvs.get(1));
        clients.add(viaFirst);
        clients.add(viaSecond);

        String topic = Clients.unique("TwoNs");
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            assertThat(viaSecond.send(Clients.message(topic, "TagN", "ns-" + i)).getSendStatus())
                    .isEqualTo(SendStatus.SEND_OK);
            sent.add("ns-" + i);
        }
        // the broker registers the auto-created topic with both nameservers
        List<MessageQueue> fromFirst = Clients.awaitRoute(viaFirst, topic, 4);
        List<MessageQueue> fromSecond = Clients.awaitRoute(viaSecond, topic, 4);
        assertThat(fromFirst).isEqualTo(fromSecond);
        assertThat(fromFirst).extracting(MessageQueue::getBrokerName).containsOnly("broker-a");
        assertThat(fromFirst).extracting(MessageQueue::getQueueId).containsExactly(0, 1, 2, 3);

        Map<String, Integer> received = new ConcurrentHashMap<>();
        DefaultMQPushConsumer consumer = Clients.pushConsumer(namesrvs.get(0), Clients.unique("cg"), topic, "*",
                m -> received.merge(m.getKeys(), 1, Integer::sum));
        clients.add(consumer);
        consumer.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> received.keySet().containsAll(sent));
        assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(sent);
    }
}
