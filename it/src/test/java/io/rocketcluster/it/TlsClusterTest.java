package io.rocketcluster.it;

import io.rocketcluster.remoting.tls.TestPki;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.netty.TlsSystemConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A cluster with TLS enforced on every port and client certificates required (nameserver, master, slave):
 * the official client with a certificate from the cluster's CA produces and consumes over TLS, the slave
 * replicates over TLS, and a plaintext client, a TLS client without a certificate and plaintext bytes on the
 * HA port are all refused. bin/mqadmin works with --tls.
 */
class TlsClusterTest {
    private static LocalCluster cluster;
    private static LocalCluster.BrokerNode master;
    private static LocalCluster.BrokerNode slave;
    private static TestPki pki;
    private static TestPki.Leaf app;
    private static Map<String, String> tls;
    private static int nsPort;
    private final List<Object> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster("tls");
        Path certs = cluster.work().resolve("certs");
        pki = TestPki.create(certs, "cluster");
        TestPki.Leaf server = pki.issue("server", "127.0.0.1", "localhost");
        app = pki.issue("app");
        tls = new LinkedHashMap<>();
        tls.put("tls.server.mode", "enforcing");
        tls.put("tls.server.certPath", server.cert().toString());
        tls.put("tls.server.keyPath", server.key().toString());
        tls.put("tls.server.trustCertPath", pki.caPath().toString());
        tls.put("tls.server.need.client.auth", "require");
        nsPort = LocalCluster.freeNamesrvPort();
        cluster.startNamesrv(nsPort, tls);
        master = cluster.broker("broker-tls", 0, with("brokerRole", "ASYNC_MASTER")).start();
        slave = cluster.broker("broker-tls", 1, with("brokerRole", "SLAVE")).start();
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(tls);
        m.put(key, value);
        return m;
    }

    @AfterEach
    void clients() throws Exception {
        Clients.shutdownAll(clients);
        officialClientTls(false, null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * The official client's own TLS settings (its public static TlsSystemConfig, which it reads whenever it
     * builds a connection factory): {@code verify} = check the server against the CA and present
     * {@code identity}; otherwise its default test mode (trust any server, no certificate).
     */
    private static void officialClientTls(boolean verify, TestPki.Leaf identity) {
        TlsSystemConfig.tlsTestModeEnable = !verify;
        TlsSystemConfig.tlsClientAuthServer = verify;
        TlsSystemConfig.tlsClientTrustCertPath = verify ? pki.caPath().toString() : null;
        TlsSystemConfig.tlsClientCertPath = identity == null ? null : identity.cert().toString();
        TlsSystemConfig.tlsClientKeyPath = identity == null ? null : identity.key().toString();
    }

    private DefaultMQProducer producer(boolean useTls) throws Exception {
        DefaultMQProducer p = new DefaultMQProducer(Clients.unique("tls_pg"));
        p.setNamesrvAddr(cluster.namesrvAddr());
        p.setInstanceName(Clients.unique("p"));
        p.setUseTLS(useTls);
        p.setSendMsgTimeout(5000);
        p.start();
        clients.add(p);
        return p;
    }

    @Test
    void anAuthenticatedClientProducesAndConsumesAndTheSlaveReplicatesOverTls() throws Exception {
        officialClientTls(true, app);
        DefaultMQProducer producer = producer(true);
        String topic = Clients.unique("TlsTopic");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                producer.send(Clients.message(topic, "T", "first")).getSendStatus() == SendStatus.SEND_OK);
        Set<String> sent = new HashSet<>(Set.of("first"));
        for (int i = 0; i < 20; i++) {
            assertThat(producer.send(Clients.message(topic, "T", "k" + i)).getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            sent.add("k" + i);
        }
        DefaultMQPullConsumer consumer = new DefaultMQPullConsumer(Clients.unique("tls_cg"));
        consumer.setNamesrvAddr(cluster.namesrvAddr());
        consumer.setInstanceName(Clients.unique("c"));
        consumer.setUseTLS(true);
        consumer.start();
        clients.add(consumer);
        Set<String> received = new HashSet<>();
        for (MessageQueue mq : consumer.fetchSubscribeMessageQueues(topic)) {
            PullResult r = consumer.pull(mq, "*", 0, 64);
            if (r.getPullStatus() == PullStatus.FOUND) {
                r.getMsgFoundList().forEach(m -> received.add(m.getKeys()));
            }
        }
        assertThat(received).isEqualTo(sent);
        await("the slave catches up over TLS").atMost(Duration.ofSeconds(30)).until(() -> {
            String m = ObservabilityTest.get(master.metricsPort(), "/metrics").body();
            return Double.valueOf(1).equals(ObservabilityTest.sample(m, "rocketcluster_ha_connected_slaves"))
                    && Double.valueOf(0).equals(ObservabilityTest.sample(m, "rocketcluster_replication_lag_bytes"));
        });
        assertThat(Files.readString(master.logFile())).contains("HA service listening on port " + (master.port() + 1)
                + " (TLS enforcing").contains("outgoing connections: TLS");
    }

    @Test
    void aPlaintextClientIsRefused() throws Exception {
        DefaultMQProducer plain = producer(false);
        // the nameserver closes the connection before reading a request: no route, the send fails
        assertThatThrownBy(() -> plain.send(Clients.message(Clients.unique("Plain"), "T", "k")))
                .hasMessageContaining("127.0.0.1:" + nsPort);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.namesrvLog(nsPort)
                .contains("plaintext connection while tls.server.mode=enforcing"));
    }

    @Test
    void aTlsClientWithoutACertificateIsRefused() throws Exception {
        officialClientTls(false, null);
        DefaultMQProducer anonymous = producer(true);
        assertThatThrownBy(() -> anonymous.send(Clients.message(Clients.unique("NoCert"), "T", "k")))
                .hasMessageContaining("send request to <127.0.0.1:" + nsPort + "> failed");
    }

    @Test
    void aSilentConnectionToTheHaPortIsNotCountedAsASlave() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> connectedSlaves() == 1);
        try (Socket silent = new Socket()) {
            silent.connect(new InetSocketAddress("127.0.0.1", master.port() + 1), 5000);
            // while it says nothing (no TLS hello, no report) the master still sees exactly its one slave
            for (int i = 0; i < 10; i++) {
                assertThat(connectedSlaves()).isEqualTo(1);
                Thread.sleep(100);
            }
        }
    }

    private static double connectedSlaves() {
        Double v = ObservabilityTest.sample(ObservabilityTest.get(master.metricsPort(), "/metrics").body(),
                "rocketcluster_ha_connected_slaves");
        return v == null ? -1 : v;
    }

    @Test
    void plaintextBytesOnTheHaPortAreClosedUnread() throws Exception {
        try (Socket fake = new Socket()) {
            fake.connect(new InetSocketAddress("127.0.0.1", master.port() + 1), 5000);
            OutputStream out = fake.getOutputStream();
            out.write(new byte[8]); // an Apache RocketMQ slave's first report: offset 0
            out.flush();
            fake.setSoTimeout(10_000);
            InputStream in = fake.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(master.logFile())
                .contains("HA: closed connection from 127.0.0.1:"));
    }

    @Test
    void mqadminConnectsWithTls() throws Exception {
        Map<String, String> env = Map.of("JAVA_OPTS", "-Dtls.client.trustCertPath=" + pki.caPath()
                + " -Dtls.client.certPath=" + app.cert() + " -Dtls.client.keyPath=" + app.key());
        AdminCli.Run ok = AdminCli.run(cluster.work(), cluster.namesrvAddr(), env, "clusterList", "--tls");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("broker-tls");
        AdminCli.Run plain = AdminCli.run(cluster.work(), cluster.namesrvAddr(), Map.of(), "clusterList");
        assertThat(plain.exit()).as(plain.out() + plain.err()).isEqualTo(3);
    }
}
