package io.rocketcluster.remoting.tls;

import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.rocketcluster.remoting.config.ConfigException;

import java.nio.file.Path;
import java.util.Locale;

/**
 * What a server's ports do with TLS (docs/tls.md §3): the mode and, when the server has a certificate,
 * the context its TLS connections use. Every port of a server (client, fast, HA, nameserver) takes the same
 * one. Built once at start; a setting that cannot be honoured is a {@link ConfigException} naming the key,
 * never a silent plaintext fallback. Immutable and thread-safe.
 */
public final class ServerTls {
    /** RocketMQ's {@code tls.server.mode}. */
    public enum Mode {
        /** TLS connections are closed; plaintext is served. */
        DISABLED,
        /** Both: a connection whose first byte starts a TLS record gets TLS, any other plaintext. */
        PERMISSIVE,
        /** TLS only: a plaintext connection is closed. */
        ENFORCING
    }

    private static final ServerTls OFF = new ServerTls(Mode.DISABLED, null, ClientAuth.NONE);

    private final Mode mode;
    private final SslContext context;
    private final ClientAuth clientAuth;

    private ServerTls(Mode mode, SslContext context, ClientAuth clientAuth) {
        this.mode = mode;
        this.context = context;
        this.clientAuth = clientAuth;
    }

    /** Plaintext only (tests and servers with no TLS settings at all). */
    public static ServerTls off() {
        return OFF;
    }

    /**
     * The server side of {@code settings}. Without {@code tls.server.mode} the mode is PERMISSIVE when a
     * certificate is configured (RocketMQ's default) and DISABLED when none is.
     *
     * @throws ConfigException naming the key when a value is bad, a file unusable, or a key asks for something
     *                         RocketCluster does not do (a self-signed test certificate, unverified client
     *                         certificates)
     */
    public static ServerTls from(TlsSettings settings) {
        Path cert = settings.file(TlsSettings.SERVER_CERT);
        Path key = settings.file(TlsSettings.SERVER_KEY);
        if ((cert == null) != (key == null)) {
            throw new ConfigException("TLS needs both '" + TlsSettings.SERVER_CERT + "' and '" + TlsSettings.SERVER_KEY
                    + "'; only " + (cert == null ? TlsSettings.SERVER_KEY : TlsSettings.SERVER_CERT) + " is set");
        }
        Mode mode = mode(settings, cert != null);
        if (mode == Mode.DISABLED) {
            return OFF;
        }
        if (cert == null) {
            if (settings.flag(TlsSettings.TEST_MODE, false)) {
                throw new ConfigException("'" + TlsSettings.TEST_MODE + "=true' (a self-signed test certificate) is "
                        + "not supported: give '" + TlsSettings.SERVER_CERT + "' and '" + TlsSettings.SERVER_KEY + "'");
            }
            throw new ConfigException("'" + TlsSettings.SERVER_MODE + "=" + mode.name().toLowerCase(Locale.ROOT)
                    + "' needs a certificate: set '" + TlsSettings.SERVER_CERT + "' and '" + TlsSettings.SERVER_KEY + "'");
        }
        ClientAuth clientAuth = clientAuth(settings);
        Path trust = null;
        if (clientAuth != ClientAuth.NONE) {
            trust = settings.file(TlsSettings.SERVER_TRUST);
            if (trust == null) {
                throw new ConfigException("'" + TlsSettings.SERVER_NEED_CLIENT_AUTH + "=" + settings.get(
                        TlsSettings.SERVER_NEED_CLIENT_AUTH) + "' needs '" + TlsSettings.SERVER_TRUST
                        + "': the CA certificates client certificates are checked against");
            }
            if (!settings.flag(TlsSettings.SERVER_AUTH_CLIENT, true)) {
                throw new ConfigException("'" + TlsSettings.SERVER_AUTH_CLIENT + "=false' (accepting client "
                        + "certificates without checking them) is not supported; remove it");
            }
        }
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(cert.toFile(), key.toFile(),
                    settings.get(TlsSettings.SERVER_KEY_PASSWORD)).sslProvider(SslProviders.preferred());
            if (trust != null) {
                builder.trustManager(trust.toFile()).clientAuth(clientAuth);
            }
            return new ServerTls(mode, builder.build(), clientAuth);
        } catch (Exception e) {
            throw new ConfigException("the TLS files '" + TlsSettings.SERVER_CERT + "'=" + cert + ", '"
                    + TlsSettings.SERVER_KEY + "'=" + key + (trust == null ? "" : ", '" + TlsSettings.SERVER_TRUST + "'="
                    + trust) + " cannot be used: " + e.getMessage());
        }
    }

    private static Mode mode(TlsSettings settings, boolean hasCertificate) {
        String v = settings.get(TlsSettings.SERVER_MODE);
        if (v == null) {
            return hasCertificate ? Mode.PERMISSIVE : Mode.DISABLED;
        }
        try {
            return Mode.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw settings.bad(TlsSettings.SERVER_MODE, "disabled, permissive or enforcing");
        }
    }

    private static ClientAuth clientAuth(TlsSettings settings) {
        String v = settings.get(TlsSettings.SERVER_NEED_CLIENT_AUTH);
        if (v == null) {
            return ClientAuth.NONE;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "none" -> ClientAuth.NONE;
            case "optional" -> ClientAuth.OPTIONAL;
            case "require" -> ClientAuth.REQUIRE;
            default -> throw settings.bad(TlsSettings.SERVER_NEED_CLIENT_AUTH, "none, optional or require");
        };
    }

    public Mode mode() {
        return mode;
    }

    /** Null when the server has no certificate (DISABLED). */
    public SslContext context() {
        return context;
    }

    /** A new first handler for an accepted connection of the server called {@code serverName}. */
    public ChannelHandler detector(String serverName, TlsDetector.Refusals refusals) {
        return new TlsDetector(this, serverName, refusals);
    }

    /** One line for the start-up log. */
    public String describe() {
        if (context == null) {
            return "TLS " + mode.name().toLowerCase(Locale.ROOT) + " (plaintext only)";
        }
        return "TLS " + mode.name().toLowerCase(Locale.ROOT) + " (" + SslProviders.preferred() + ", client certificates "
                + clientAuth.name().toLowerCase(Locale.ROOT) + ")";
    }
}
