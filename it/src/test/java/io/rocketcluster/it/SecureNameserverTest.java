package io.rocketcluster.it;

import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A nameserver with registrationAuthEnable=true: a broker with an admin account's keys (brokerAccessKey /
 * brokerSecretKey) registers and serves the official client; a broker without keys (as an Apache RocketMQ
 * broker would be) is refused, never routed to, and the refusal is in its log.
 */
class SecureNameserverTest {
    private static LocalCluster cluster;
    private static LocalCluster.BrokerNode trusted;
    private static LocalCluster.BrokerNode stranger;
    private static DefaultMQProducer producer;

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster("secure-ns");
        Files.writeString(cluster.work().resolve("plain_acl.yml"), """
                accounts:
                  - accessKey: registrar
                    secretKey: registrarSecret
                    admin: true
                """);
        cluster.startNamesrv(LocalCluster.freeNamesrvPort(), Map.of("registrationAuthEnable", "true"));
        trusted = cluster.broker("broker-trusted", 0, Map.of("brokerAccessKey", "registrar",
                "brokerSecretKey", "registrarSecret")).start();
        stranger = cluster.broker("broker-stranger", 0, Map.of()).start();
        producer = Clients.producer(cluster.namesrvAddr());
    }

    @AfterAll
    static void stop() throws Exception {
        if (producer != null) {
            producer.shutdown();
        }
        cluster.close();
    }

    @Test
    void onlyTheBrokerWithKeysIsRouted() throws Exception {
        String topic = Clients.unique("SecureNs");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                producer.send(Clients.message(topic, "T", "k")).getSendStatus() == SendStatus.SEND_OK);
        for (int i = 0; i < 20; i++) {
            assertThat(producer.send(Clients.message(topic, "T", "k" + i)).getMessageQueue().getBrokerName())
                    .isEqualTo("broker-trusted");
        }
        assertThat(producer.getDefaultMQProducerImpl().getmQClientFactory().getMQClientAPIImpl()
                .getBrokerClusterInfo(5000).getBrokerAddrTable()).containsOnlyKeys("broker-trusted");
        assertThat(Files.readString(stranger.logFile())).contains("refused registration: 1 "
                + "org.apache.rocketmq.acl.common.AclException: No accessKey is configured");
    }
}
