package io.rocketcluster.e2e;

import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.RPCHook;
import org.apache.rocketmq.remoting.netty.TlsSystemConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * compose/docker-compose.secure.yml with the files compose/secure/make-secrets.sh makes: TLS enforced on
 * every port, ACL on the brokers, registration auth on the nameservers. The official client on the host,
 * with TLS checked against the cluster's CA and an application account's keys, produces and consumes; the
 * slave replicates after authenticating; a plaintext client and a client without keys get nothing.
 */
class SecureComposeE2ETest {
    private final List<Runnable> cleanup = new ArrayList<>();

    @AfterEach
    void clean() {
        cleanup.forEach(Runnable::run);
        TlsSystemConfig.tlsTestModeEnable = true;
        TlsSystemConfig.tlsClientAuthServer = false;
        TlsSystemConfig.tlsClientTrustCertPath = null;
    }

    @Test
    void theSecuredSeedTopologyServesOnlyAuthenticatedClientsOverTls() throws Exception {
        Docker.assumeComposeReady();
        Path secrets = makeSecrets();
        Properties app = new Properties();
        app.load(Files.newBufferedReader(secrets.resolve("client.env")));
        RPCHook appKeys = new AclClientRPCHook(new SessionCredentials(app.getProperty("ROCKETMQ_ACCESS_KEY"),
                app.getProperty("ROCKETMQ_SECRET_KEY")));
        try (ComposeCluster cluster = new ComposeCluster(Map.of("RC_SECURE_DIR", secrets.toString()),
                "docker-compose.secure.yml").up()) {
            // the client checks the servers' certificate against the cluster's CA (not its default test mode)
            TlsSystemConfig.tlsTestModeEnable = false;
            TlsSystemConfig.tlsClientAuthServer = true;
            TlsSystemConfig.tlsClientTrustCertPath = secrets.resolve("certs/ca.pem").toString();
            DefaultMQProducer producer = producer(cluster, appKeys, true);
            String topic = "E2eSecure";
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> send(producer, topic, "first"));
            Set<String> sent = new HashSet<>(Set.of("first"));
            for (int i = 0; i < 20; i++) {
                assertThat(send(producer, topic, "k" + i)).isTrue();
                sent.add("k" + i);
            }
            assertThat(pullAll(cluster, appKeys, topic)).isEqualTo(sent);

            String master = cluster.logs("broker-a-master");
            assertThat(master).contains("TLS enforcing").contains("aclEnable=true: loaded /etc/rocketmq/conf/plain_acl.yml")
                    .containsPattern(
                    "slave 1 \\(\\S+\\) handshake: .*\"brokerId\":\"1\".* with accessKey rocketcluster-broker");
            assertThat(cluster.metrics(cluster.masterPort, "/metrics")).contains("rocketcluster_ha_connected_slaves 1.0");

            // bin/mqclient on the host, as the README shows it: the CA and client.env's keys
            Map<String, String> env = Map.of("ROCKETMQ_ACCESS_KEY", app.getProperty("ROCKETMQ_ACCESS_KEY"),
                    "ROCKETMQ_SECRET_KEY", app.getProperty("ROCKETMQ_SECRET_KEY"));
            String ca = secrets.resolve("certs/ca.pem").toString();
            Docker.Result sent1 = Docker.run(env, 120, List.of("bash", "../bin/mqclient", "send", "-n", cluster.namesrvAddr(),
                    "-t", "E2eSecureCli", "-m", "hello over TLS", "--trust", ca));
            assertThat(sent1.exitCode()).as(sent1.out()).isZero();
            Docker.Result got = Docker.run(env, 120, List.of("bash", "../bin/mqclient", "receive", "-n",
                    cluster.namesrvAddr(), "-t", "E2eSecureCli", "--count", "1", "--timeout", "60", "--trust", ca));
            assertThat(got.exitCode()).as(got.out()).isZero();
            assertThat(got.out()).contains("hello over TLS");

            DefaultMQProducer plaintext = producer(cluster, appKeys, false);
            assertThatThrownBy(() -> plaintext.send(message(topic, "plain"))).isInstanceOf(Exception.class);
            DefaultMQProducer noKeys = producer(cluster, null, true);
            assertThatThrownBy(() -> noKeys.send(message(topic, "anonymous")))
                    .hasStackTraceContaining("AclException: No accessKey is configured");
        }
    }

    /** Runs compose/secure/make-secrets.sh as a user would, into a directory the containers (uid 1000) can read. */
    private Path makeSecrets() throws IOException, InterruptedException {
        Path base = Path.of("target", "e2e-secrets", UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        Files.createDirectories(base);
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        cleanup.add(() -> deleteTree(base));
        Path dir = base.resolve("secure");
        Path script = Path.of(System.getProperty("rocketcluster.compose.dir", "../compose"), "secure", "make-secrets.sh");
        Process p = new ProcessBuilder("bash", script.toString(), dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return dir;
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            ComposeCluster.log("could not delete " + root + ": " + e);
        }
    }

    private DefaultMQProducer producer(ComposeCluster cluster, RPCHook keys, boolean tls) throws Exception {
        DefaultMQProducer p = new DefaultMQProducer("e2e_secure_" + UUID.randomUUID().toString().substring(0, 8), keys);
        p.setNamesrvAddr(cluster.namesrvAddr());
        p.setInstanceName("e2e-" + UUID.randomUUID());
        p.setUseTLS(tls);
        p.setSendMsgTimeout(5000);
        p.start();
        cleanup.add(p::shutdown);
        return p;
    }

    private Set<String> pullAll(ComposeCluster cluster, RPCHook keys, String topic) throws Exception {
        DefaultMQPullConsumer c = new DefaultMQPullConsumer("e2e_secure_cg", keys);
        c.setNamesrvAddr(cluster.namesrvAddr());
        c.setInstanceName("e2e-" + UUID.randomUUID());
        c.setUseTLS(true);
        c.start();
        cleanup.add(c::shutdown);
        Set<String> keysSeen = new HashSet<>();
        for (MessageQueue mq : c.fetchSubscribeMessageQueues(topic)) {
            PullResult r = c.pull(mq, "*", 0, 64);
            if (r.getPullStatus() == PullStatus.FOUND) {
                r.getMsgFoundList().forEach(m -> keysSeen.add(m.getKeys()));
            }
        }
        return keysSeen;
    }

    private static boolean send(DefaultMQProducer producer, String topic, String key) throws Exception {
        return producer.send(message(topic, key)).getSendStatus() == SendStatus.SEND_OK;
    }

    private static Message message(String topic, String key) {
        return new Message(topic, "e2e", key, ("secure " + key).getBytes(StandardCharsets.UTF_8));
    }
}
