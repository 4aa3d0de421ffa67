package io.rocketcluster.remoting.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.rocketcluster.remoting.config.ConfigException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;

/**
 * The client side of the TLS keys (docs/tls.md §4): whether outgoing connections (a broker's to nameservers,
 * a slave's to its master, a tool's) use TLS, and how they check the server. Unlike RocketMQ's client, the
 * server's certificate is verified by default: against {@code tls.client.trustCertPath}, else
 * {@code tls.server.trustCertPath} (the cluster's own CA), else the JDK's trusted CAs. The certificate chain
 * is checked, not the host name (brokers are reached by the addresses they register). The client presents
 * {@code tls.client.certPath}/{@code keyPath}, else the server's own certificate, so mutual TLS works inside a
 * cluster with one certificate per broker.
 */
public final class ClientTls {
    private static final Logger LOG = LogManager.getLogger(ClientTls.class);

    private ClientTls() {
    }

    /**
     * The context for outgoing connections, or null when they are plaintext: TLS when {@code tls.enable=true},
     * or when {@code tls.enable} is unset and this process's own server enforces TLS (RocketMQ's rule).
     *
     * @throws ConfigException naming the key when a value is bad or a file unusable
     */
    public static SslContext forOutgoing(TlsSettings settings, boolean serverEnforcing) {
        if (!settings.flag(TlsSettings.CLIENT_ENABLE, serverEnforcing)) {
            return null;
        }
        boolean trustAll = !settings.flag(TlsSettings.CLIENT_AUTH_SERVER, true) || settings.flag(TlsSettings.TEST_MODE, false);
        Path trust = settings.file(TlsSettings.CLIENT_TRUST);
        if (trust == null) {
            trust = settings.file(TlsSettings.SERVER_TRUST);
        }
        Path cert = settings.file(TlsSettings.CLIENT_CERT);
        Path key = settings.file(TlsSettings.CLIENT_KEY);
        String password = settings.get(TlsSettings.CLIENT_KEY_PASSWORD);
        if (cert == null && key == null) {
            cert = settings.file(TlsSettings.SERVER_CERT);
            key = settings.file(TlsSettings.SERVER_KEY);
            password = settings.get(TlsSettings.SERVER_KEY_PASSWORD);
        }
        if ((cert == null) != (key == null)) {
            throw new ConfigException("a client certificate needs both '" + TlsSettings.CLIENT_CERT + "' and '"
                    + TlsSettings.CLIENT_KEY + "'");
        }
        if (trustAll) {
            LOG.warn("outgoing TLS does not verify servers ({}=false or {}=true): encrypted, but open to an impostor",
                    TlsSettings.CLIENT_AUTH_SERVER, TlsSettings.TEST_MODE);
        }
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProviders.preferred());
            if (trustAll) {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (trust != null) {
                builder.trustManager(trust.toFile());
            }
            if (cert != null) {
                builder.keyManager(cert.toFile(), key.toFile(), password);
            }
            return builder.build();
        } catch (Exception e) {
            throw new ConfigException("the client TLS files (trust " + trust + ", certificate " + cert + ", key " + key
                    + ") cannot be used: " + e.getMessage());
        }
    }
}
