package io.rocketcluster.it;

import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replication with ACL on: the slave and its SYNC_MASTER authenticate each other (HELLO/WELCOME with an
 * admin account) before anything is replicated; a fake slave (no handshake) is refused and never counts
 * as an acknowledging slave; a slave pointed at a fake master refuses it before applying a byte.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecureReplicationTest {
    private static final String ACL = """
            accounts:
              - accessKey: replicator
                secretKey: replicatorSecret
                admin: true
              - accessKey: producerKey
                secretKey: producerSecret
                defaultTopicPerm: PUB
                defaultGroupPerm: SUB
            """;
    private static final Map<String, String> SECURE = Map.of("aclEnable", "true", "brokerAccessKey", "replicator",
            "brokerSecretKey", "replicatorSecret");

    private static LocalCluster cluster;
    private static LocalCluster.BrokerNode master;
    private static LocalCluster.BrokerNode slave;
    private static DefaultMQProducer producer;

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster("secure-ha");
        cluster.startNamesrv();
        Files.writeString(cluster.work().resolve("plain_acl.yml"), ACL);
        master = cluster.broker("broker-a", 0, with(Map.of("brokerRole", "SYNC_MASTER"))).start();
        slave = cluster.broker("broker-a", 1, with(Map.of("brokerRole", "SLAVE"))).start();
        producer = new DefaultMQProducer(Clients.unique("secure_pg"),
                new AclClientRPCHook(new SessionCredentials("producerKey", "producerSecret")));
        producer.setNamesrvAddr(cluster.namesrvAddr());
        producer.setInstanceName(Clients.unique("p"));
        producer.setSendMsgTimeout(10_000);
        producer.start();
    }

    private static Map<String, String> with(Map<String, String> more) {
        Map<String, String> m = new java.util.HashMap<>(SECURE);
        m.putAll(more);
        return m;
    }

    @AfterAll
    static void stop() throws Exception {
        if (producer != null) {
            producer.shutdown();
        }
        cluster.close();
    }

    @Test
    @Order(1)
    void anAuthenticatedSlaveAcknowledgesSyncMasterSends() throws Exception {
        String topic = Clients.unique("SecureHa");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                producer.send(Clients.message(topic, "T", "k")).getSendStatus() == SendStatus.SEND_OK);
        assertThat(Files.readString(master.logFile())).containsPattern("slave 1 \\(127\\.0\\.0\\.1:\\d+\\) handshake: \\{.*"
                + "\"brokerId\":\"1\".*\\} with accessKey replicator");
        assertThat(Files.readString(slave.logFile())).contains("master 127.0.0.1:" + (master.port() + 1) + " handshake");
    }

    @Test
    @Order(2)
    void aSlaveThatSendsNoHandshakeIsRefused() throws Exception {
        try (Socket fake = new Socket()) {
            fake.connect(new InetSocketAddress("127.0.0.1", master.port() + 1), 5000);
            DataOutputStream out = new DataOutputStream(fake.getOutputStream());
            out.writeLong(0); // an Apache RocketMQ slave's first report
            out.flush();
            fake.setSoTimeout(10_000);
            assertThat(closedByPeer(fake.getInputStream())).as("the master closes the link").isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(master.logFile())
                .contains("refused: no handshake (an Apache RocketMQ slave, or not a broker)"));
    }

    @Test
    @Order(3)
    void aSlavePointedAtAFakeMasterRefusesItBeforeApplyingAnything() throws Exception {
        try (ServerSocket fakeMaster = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            LocalCluster.BrokerNode victim = cluster.broker("broker-a", 2, with(Map.of("brokerRole", "SLAVE",
                    "haMasterAddress", "127.0.0.1:" + fakeMaster.getLocalPort()))).start();
            fakeMaster.setSoTimeout(30_000);
            try (Socket link = fakeMaster.accept()) {
                link.setSoTimeout(10_000);
                DataInputStream in = new DataInputStream(link.getInputStream());
                DataOutputStream out = new DataOutputStream(link.getOutputStream());
                assertThat(in.readLong()).as("the slave starts with the handshake's probe").isNegative();
                out.writeLong(0xFFFF_5243_4841_0001L); // "I speak the handshake"
                out.writeInt(-1);
                out.flush();
                assertThat(in.readLong()).as("then its HELLO").isNegative();
                byte[] hello = new byte[in.readInt()];
                in.readFully(hello);
                // answer like a master that knows no secret: a frame telling the slave its log ends at 0
                out.writeLong(0);
                out.writeInt(0);
                out.flush();
                assertThat(closedByPeer(in)).as("the slave hangs up without sending a single report").isTrue();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(victim.logFile())
                    .contains("replication from 127.0.0.1:" + fakeMaster.getLocalPort() + " refused, nothing of it is applied"));
            victim.stop();
        }
    }

    @Test
    @Order(4)
    void withTheRealSlaveGoneAFakeOneDoesNotMakeSendsLookReplicated() throws Exception {
        slave.stop();
        try (Socket fake = new Socket()) {
            fake.connect(new InetSocketAddress("127.0.0.1", master.port() + 1), 5000);
            // a pretend slave that acknowledges every frame it is sent, as RocketMQ 4.x's protocol allows
            Thread acker = new Thread(() -> {
                try {
                    DataOutputStream out = new DataOutputStream(fake.getOutputStream());
                    DataInputStream in = new DataInputStream(fake.getInputStream());
                    out.writeLong(0);
                    out.flush();
                    while (true) {
                        long offset = in.readLong();
                        int size = in.readInt();
                        in.skipNBytes(size);
                        out.writeLong(offset + size);
                        out.flush();
                    }
                } catch (Exception e) {
                    // closed by the master (or at the end of the test)
                }
            }, "fake-slave");
            acker.setDaemon(true);
            acker.start();
            String topic = Clients.unique("SecureHaAlone");
            SendResult r = null;
            for (int i = 0; i < 20 && r == null; i++) {
                try {
                    r = producer.send(Clients.message(topic, "T", "alone-" + i));
                } catch (Exception e) {
                    Thread.sleep(200); // the route to a new topic may lag
                }
            }
            assertThat(r).isNotNull();
            assertThat(r.getSendStatus()).isEqualTo(SendStatus.SLAVE_NOT_AVAILABLE);
        }
    }

    private static boolean closedByPeer(InputStream in) throws Exception {
        try {
            while (true) {
                if (in.read() == -1) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }
}
