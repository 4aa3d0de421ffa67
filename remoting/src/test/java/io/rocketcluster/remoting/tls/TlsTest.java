package io.rocketcluster.remoting.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.rocketcluster.remoting.config.ConfigException;
import io.rocketcluster.remoting.netty.NettyRemotingClient;
import io.rocketcluster.remoting.netty.NettyRemotingServer;
import io.rocketcluster.remoting.netty.NettyServerConfig;
import io.rocketcluster.remoting.netty.RemotingException;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TLS modes of a remoting port, mutual TLS, and the settings a server refuses to start with. */
class TlsTest {
    private static final int CODE = 4243;
    @TempDir
    static Path dir;
    static TestPki pki;
    static TestPki stranger;
    static TestPki.Leaf server;
    static TestPki.Leaf client;
    static TestPki.Leaf strangerClient;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.create(dir, "cluster");
        stranger = TestPki.create(dir, "stranger");
        server = pki.issue("server", "127.0.0.1", "localhost");
        client = pki.issue("client");
        strangerClient = stranger.issue("impostor");
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        pool.shutdownNow();
    }

    private static TlsSettings settings(Map<String, String> keys) {
        return TlsSettings.resolve(keys, new Properties());
    }

    private static Map<String, String> serverKeys(String mode) {
        Map<String, String> keys = new HashMap<>();
        if (mode != null) {
            keys.put(TlsSettings.SERVER_MODE, mode);
        }
        keys.put(TlsSettings.SERVER_CERT, server.cert().toString());
        keys.put(TlsSettings.SERVER_KEY, server.key().toString());
        return keys;
    }

    private NettyRemotingServer server(ServerTls tls) throws Exception {
        NettyRemotingServer s = new NettyRemotingServer("tls-test", new NettyServerConfig(), 0);
        s.registerProcessor(CODE, (ch, req) -> RemotingCommand.responseTo(req, ResponseCode.SUCCESS, "hello"), pool);
        s.setTls(tls);
        s.start();
        open.add(s);
        return s;
    }

    private NettyRemotingClient client(SslContext tls) {
        NettyRemotingClient c = new NettyRemotingClient("tls-test-client");
        c.setTls(tls);
        open.add(c);
        return c;
    }

    private static SslContext verifyingClient(Path trust, TestPki.Leaf identity) {
        Map<String, String> keys = new HashMap<>();
        keys.put(TlsSettings.CLIENT_ENABLE, "true");
        keys.put(TlsSettings.CLIENT_TRUST, trust.toString());
        if (identity != null) {
            keys.put(TlsSettings.CLIENT_CERT, identity.cert().toString());
            keys.put(TlsSettings.CLIENT_KEY, identity.key().toString());
        }
        return ClientTls.forOutgoing(settings(keys), false);
    }

    private static String call(NettyRemotingClient c, NettyRemotingServer s) throws Exception {
        RemotingCommand response = c.invokeSync("127.0.0.1:" + s.localPort(), RemotingCommand.request(CODE), 3000);
        return response.code() + ":" + response.remark();
    }

    @Test
    void boringSslIsTheEngineOnLinux() {
        assertThat(SslProviders.preferred()).isEqualTo(SslProvider.OPENSSL);
        assertThat(ServerTls.from(settings(serverKeys(null))).describe()).contains("permissive", "OPENSSL");
    }

    @Test
    void permissiveServesTlsAndPlaintextOnOnePort() throws Exception {
        NettyRemotingServer s = server(ServerTls.from(settings(serverKeys(null))));
        assertThat(call(client(null), s)).isEqualTo("0:hello");
        assertThat(call(client(verifyingClient(pki.caPath(), null)), s)).isEqualTo("0:hello");
        assertThat(s.tlsRefusals()).isZero();
    }

    @Test
    void enforcingClosesAPlaintextClientBeforeItsRequestRuns() throws Exception {
        NettyRemotingServer s = server(ServerTls.from(settings(serverKeys("enforcing"))));
        assertThatThrownBy(() -> call(client(null), s)).isInstanceOf(RemotingException.class);
        assertThat(s.tlsRefusals()).isEqualTo(1);
        assertThat(call(client(verifyingClient(pki.caPath(), null)), s)).isEqualTo("0:hello");
    }

    @Test
    void aServerWithoutCertificateClosesATlsClient() throws Exception {
        NettyRemotingServer s = server(ServerTls.from(settings(Map.of())));
        assertThatThrownBy(() -> call(client(verifyingClient(pki.caPath(), null)), s))
                .hasMessageContaining("TLS handshake");
        assertThat(s.tlsRefusals()).isEqualTo(1);
        assertThat(call(client(null), s)).isEqualTo("0:hello");
    }

    @Test
    void aClientRefusesAServerItsCaDidNotSign() throws Exception {
        NettyRemotingServer s = server(ServerTls.from(settings(serverKeys("enforcing"))));
        assertThatThrownBy(() -> call(client(verifyingClient(stranger.caPath(), null)), s))
                .hasMessageContaining("TLS handshake");
    }

    @Test
    void requiredClientCertificatesMustComeFromTheTrustedCa() throws Exception {
        Map<String, String> keys = serverKeys("enforcing");
        keys.put(TlsSettings.SERVER_NEED_CLIENT_AUTH, "require");
        keys.put(TlsSettings.SERVER_TRUST, pki.caPath().toString());
        NettyRemotingServer s = server(ServerTls.from(settings(keys)));
        assertThat(call(client(verifyingClient(pki.caPath(), client)), s)).isEqualTo("0:hello");
        assertThatThrownBy(() -> call(client(verifyingClient(pki.caPath(), null)), s)).isInstanceOf(RemotingException.class);
        assertThatThrownBy(() -> call(client(verifyingClient(pki.caPath(), strangerClient)), s))
                .isInstanceOf(RemotingException.class);
    }

    @Test
    void outgoingTlsFollowsTlsEnableElseTheServersOwnEnforcing() {
        assertThat(ClientTls.forOutgoing(settings(Map.of()), false)).isNull();
        assertThat(ClientTls.forOutgoing(settings(serverKeys("enforcing")), true)).isNotNull();
        assertThat(ClientTls.forOutgoing(settings(Map.of(TlsSettings.CLIENT_ENABLE, "false")), true)).isNull();
        assertThat(ClientTls.forOutgoing(settings(Map.of(TlsSettings.CLIENT_ENABLE, "true")), false)).isNotNull();
    }

    @Test
    void settingsThatCannotBeHonouredStopTheServerNamingTheKey() throws Exception {
        assertThatThrownBy(() -> ServerTls.from(settings(Map.of(TlsSettings.SERVER_MODE, "enforcing"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tls.server.certPath");
        assertThatThrownBy(() -> ServerTls.from(settings(serverKeys("strict"))))
                .hasMessageContaining("tls.server.mode").hasMessageContaining("'strict'");
        assertThatThrownBy(() -> ServerTls.from(settings(Map.of(TlsSettings.SERVER_MODE, "permissive",
                TlsSettings.TEST_MODE, "true")))).hasMessageContaining("tls.test.mode.enable");
        Map<String, String> needAuth = serverKeys(null);
        needAuth.put(TlsSettings.SERVER_NEED_CLIENT_AUTH, "require");
        assertThatThrownBy(() -> ServerTls.from(settings(needAuth))).hasMessageContaining("tls.server.trustCertPath");
        needAuth.put(TlsSettings.SERVER_NEED_CLIENT_AUTH, "sometimes");
        assertThatThrownBy(() -> ServerTls.from(settings(needAuth))).hasMessageContaining("tls.server.need.client.auth");
        needAuth.put(TlsSettings.SERVER_NEED_CLIENT_AUTH, "optional");
        needAuth.put(TlsSettings.SERVER_TRUST, pki.caPath().toString());
        needAuth.put(TlsSettings.SERVER_AUTH_CLIENT, "false");
        assertThatThrownBy(() -> ServerTls.from(settings(needAuth))).hasMessageContaining("tls.server.authClient");
        Map<String, String> missing = serverKeys(null);
        missing.put(TlsSettings.SERVER_CERT, dir.resolve("nope.pem").toString());
        assertThatThrownBy(() -> ServerTls.from(settings(missing))).hasMessageContaining("tls.server.certPath");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
        Map<String, String> bad = serverKeys(null);
        bad.put(TlsSettings.SERVER_CERT, garbage.toString());
        assertThatThrownBy(() -> ServerTls.from(settings(bad))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot be used");
        Properties conf = new Properties();
        conf.setProperty("tls.server.modee", "enforcing");
        assertThatThrownBy(() -> TlsSettings.take(conf)).hasMessageContaining("tls.server.modee");
    }

    @Test
    void configFileKeysWinOverTlsPropertiesWhichWinsOverSystemProperties() throws Exception {
        Path file = Files.writeString(dir.resolve("tls.properties"), "tls.server.mode=permissive\ntls.enable=true\n");
        Properties system = new Properties();
        system.setProperty(TlsSettings.CONFIG_FILE, file.toString());
        system.setProperty(TlsSettings.SERVER_MODE, "disabled");
        system.setProperty(TlsSettings.SERVER_NEED_CLIENT_AUTH, "none");
        Properties conf = new Properties();
        conf.setProperty("tls.enable", "false");
        conf.setProperty("brokerName", "broker-a");
        TlsSettings s = TlsSettings.resolve(TlsSettings.take(conf), system);
        assertThat(conf.stringPropertyNames()).containsExactly("brokerName");
        assertThat(s.get(TlsSettings.SERVER_MODE)).isEqualTo("permissive");
        assertThat(s.get(TlsSettings.CLIENT_ENABLE)).isEqualTo("false");
        assertThat(s.get(TlsSettings.SERVER_NEED_CLIENT_AUTH)).isEqualTo("none");
        assertThat(s.describe()).anyMatch(l -> l.startsWith("tls.server.mode=permissive (" + file));
        system.setProperty(TlsSettings.CONFIG_FILE, dir.resolve("absent.properties").toString());
        assertThatThrownBy(() -> TlsSettings.resolve(Map.of(), system)).hasMessageContaining("tls.config.file");
    }
}
