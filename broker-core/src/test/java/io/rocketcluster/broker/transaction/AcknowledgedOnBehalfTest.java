package io.rocketcluster.broker.transaction;

import io.rocketcluster.broker.config.BrokerConfig;
import io.rocketcluster.broker.config.MessageStoreConfig;
import io.rocketcluster.broker.schedule.ScheduleMessageService;
import io.rocketcluster.broker.store.MessageProperties;
import io.rocketcluster.broker.store.MessageStore;
import io.rocketcluster.broker.store.MessageToStore;
import io.rocketcluster.broker.store.PutResult;
import io.rocketcluster.broker.store.PutStatus;
import io.rocketcluster.broker.store.StoredMessage;
import io.rocketcluster.broker.topic.TopicConfigManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the broker stores on a client's behalf (transaction commit, delayed redelivery) waits for the
 * replication mode like a send: here a SYNC_MASTER whose slave is missing.
 */
class AcknowledgedOnBehalfTest {
    @TempDir
    Path dir;
    private MessageStore store;
    private final AtomicReference<PutStatus> replicas = new AtomicReference<>(PutStatus.SLAVE_NOT_AVAILABLE);

    private static final InetSocketAddress HOST = new InetSocketAddress(InetAddress.getLoopbackAddress(), 10911);

    private MessageStore start() {
        MessageStoreConfig c = new MessageStoreConfig();
        c.setStorePathRootDir(dir.toString());
        c.setMappedFileSizeCommitLog(64 * 1024);
        c.setMessageDelayLevel("1s 2s");
        store = new MessageStore(c, System::currentTimeMillis);
        store.start();
        store.setReplicaWaiter(offset -> CompletableFuture.completedFuture(replicas.get()));
        return store;
    }

    @AfterEach
    void stop() {
        if (store != null) {
            store.shutdown();
        }
    }

    private static MessageToStore msg(String topic, String properties) {
        MessageToStore m = new MessageToStore();
        m.topic = topic;
        m.queueId = 0;
        m.body = "body".getBytes(StandardCharsets.UTF_8);
        m.properties = properties;
        m.bornTimestamp = System.currentTimeMillis();
        m.bornHost = HOST;
        m.storeHost = HOST;
        return m;
    }

    @Test
    void aCommitIsNotAcknowledgedBeforeItIsReplicated() throws Exception {
        MessageStore s = start();
        TopicConfigManager topics = new TopicConfigManager(new BrokerConfig(), dir.resolve("config"),
                System::currentTimeMillis);
        topics.load();
        TransactionalMessages tx = new TransactionalMessages(s, topics, HOST);
        MessageToStore half = msg("Orders", TransactionalMessages.PRODUCER_GROUP + MessageProperties.NAME_VALUE_SEPARATOR + "pg");
        tx.toHalf(half);
        PutResult stored = s.put(half, false).get();
        StoredMessage h = s.messageAt(stored.wroteOffset());
        // before the fix the commit's records were written without waiting: PUT_OK, then lost with the master
        assertThat(tx.commit(h).get().status()).isEqualTo(PutStatus.SLAVE_NOT_AVAILABLE);
        replicas.set(PutStatus.PUT_OK);
        assertThat(tx.rollback(h).get().status()).isEqualTo(PutStatus.PUT_OK);
    }

    @Test
    void aDelayedMessageKeepsItsPlaceUntilItsRedeliveryIsReplicated() throws Exception {
        MessageStore s = start();
        String props = MessageProperties.DELAY + MessageProperties.NAME_VALUE_SEPARATOR + "1";
        assertThat(s.put(msg("Later", props), false).get().isStored()).isTrue();
        ScheduleMessageService schedule = new ScheduleMessageService(s, dir.resolve("config/delayOffset.json"),
                System::currentTimeMillis);
        schedule.load();
        schedule.start(60_000);
        try {
            // due after 1 s; its redelivery is stored but not replicated, so level 1 stays at offset 0
            await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4))
                    .until(() -> s.maxOffset("Later", 0) >= 1);
            assertThat(schedule.offset(1)).as("delay offset of level 1").isZero();
        } finally {
            schedule.close();
        }
    }
}
