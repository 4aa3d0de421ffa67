package io.rocketcluster.it;

import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The broker's maxMessageSize is enforced with a clear error; batches within it are stored whole. */
class LimitsTest {
    private static LocalCluster cluster;
    private static DefaultMQProducer producer;

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster("limits");
        cluster.startNamesrv();
        cluster.broker("broker-a", 0, Map.of("maxMessageSize", "8192")).start();
        producer = Clients.producer(cluster.namesrvAddr());
        producer.setCompressMsgBodyOverHowmuch(1024 * 1024); // send bodies as they are
    }

    @AfterAll
    static void stop() throws Exception {
        producer.shutdown();
        cluster.close();
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @Test
    void aBodyOverTheBrokersMaxMessageSizeIsRefusedAndOneAtTheLimitIsStored() throws Exception {
        String topic = Clients.unique("Limits");
        SendResult ok = producer.send(new Message(topic, "T", "fits", random(8192)));
        assertThat(ok.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        assertThatThrownBy(() -> producer.send(new Message(topic, "T", "big", random(8193))))
                .isInstanceOf(MQBrokerException.class)
                .satisfies(e -> {
                    MQBrokerException b = (MQBrokerException) e;
                    assertThat(b.getResponseCode()).isEqualTo(13);
                    assertThat(b.getErrorMessage()).contains("maxMessageSize").contains("8193");
                });
    }

    @Test
    void aBatchWithinTheLimitIsStoredWholeAndOneOverItIsRefusedWhole() throws Exception {
        String topic = Clients.unique("BatchLimits");
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(new Message(topic, "T", "b" + i, random(1000 + i)));
        }
        SendResult ok = producer.send(batch);
        assertThat(ok.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        assertThat(ok.getMsgId().split(",")).hasSize(5);
        long before = ok.getQueueOffset();

        List<Message> tooBig = new ArrayList<>();
        tooBig.add(new Message(topic, "T", "small", random(100)));
        tooBig.add(new Message(topic, "T", "large", random(9000)));
        assertThatThrownBy(() -> producer.send(tooBig, ok.getMessageQueue())).isInstanceOf(MQBrokerException.class)
                .satisfies(e -> assertThat(((MQBrokerException) e).getResponseCode()).isEqualTo(13));
        // nothing of the refused batch was stored: the next message follows the first batch directly
        SendResult next = producer.send(new Message(topic, "T", "next", random(10)), ok.getMessageQueue());
        assertThat(next.getQueueOffset()).isEqualTo(before + 5);
    }
}
