package io.rocketcluster.e2e;

import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** compose/docker-compose.sync-master.yml: the master acknowledges a send once the slave holds it. */
class SyncMasterE2ETest {
    @Test
    void syncMasterNeedsItsSlave() throws Exception {
        Docker.assumeComposeReady();
        try (ComposeCluster cluster = new ComposeCluster(Map.of(), "docker-compose.sync-master.yml").up()) {
            assertThat(cluster.inspect("broker-a-master", "{{range .Config.Env}}{{.}} {{end}}"))
                    .contains("RC_BROKER_ROLE=SYNC_MASTER");
            DefaultMQProducer producer = Clients.producer(cluster.namesrvAddr());
            try {
                for (int i = 0; i < 10; i++) {
                    assertThat(send(producer, i)).isEqualTo(SendStatus.SEND_OK);
                }
                cluster.kill("broker-a-slave");
                // with no slave to hold the message, the SYNC_MASTER stores it but says so
                await().atMost(Duration.ofSeconds(60)).until(() -> send(producer, 100) == SendStatus.SLAVE_NOT_AVAILABLE);
                cluster.start("broker-a-slave");
                cluster.awaitHealthy("broker-a-slave", Duration.ofSeconds(120));
                await().atMost(Duration.ofSeconds(60)).until(() -> send(producer, 200) == SendStatus.SEND_OK);
            } finally {
                producer.shutdown();
            }
        }
    }

    private static SendStatus send(DefaultMQProducer producer, int i) throws Exception {
        return producer.send(new Message("E2eSync", "e2e", "sync-" + i, ("sync " + i).getBytes(StandardCharsets.UTF_8)))
                .getSendStatus();
    }
}
