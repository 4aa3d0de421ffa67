package io.rocketcluster.bench;

import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.ClientConfig;
import org.apache.rocketmq.remoting.RPCHook;
import org.apache.rocketmq.remoting.netty.TlsSystemConfig;
import picocli.CommandLine.Option;

/**
 * The security options of bin/mqclient (a picocli mixin): TLS, the CA the servers are checked against, and
 * the ACL keys requests are signed with, all through the official client's own mechanisms
 * ({@code ClientConfig.useTLS}, {@code TlsSystemConfig}, {@code AclClientRPCHook}).
 */
public final class ClientSecurity {
    @Option(names = "--tls", description = "Connect with TLS (as -Dtls.enable=true).")
    boolean tls;

    @Option(names = "--trust", paramLabel = "CA_PEM",
            description = "Check the servers' certificates against this CA (implies --tls). Without it, TLS trusts any "
                    + "server, as the official client's default test mode does.")
    String trust;

    @Option(names = "--access-key", paramLabel = "KEY", defaultValue = "${env:ROCKETMQ_ACCESS_KEY}",
            description = "ACL access key to sign requests with (default: $ROCKETMQ_ACCESS_KEY; none: unsigned).")
    String accessKey;

    @Option(names = "--secret-key", paramLabel = "KEY", defaultValue = "${env:ROCKETMQ_SECRET_KEY}",
            description = "ACL secret key (default: $ROCKETMQ_SECRET_KEY).")
    String secretKey;

    /** The signer, or null when no keys were given. */
    RPCHook rpcHook() {
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            return null;
        }
        return new AclClientRPCHook(new SessionCredentials(accessKey, secretKey));
    }

    /** Turns TLS on for {@code client} when asked, checking servers against {@link #trust} if given. */
    void apply(ClientConfig client) {
        if (trust != null && !trust.isBlank()) {
            TlsSystemConfig.tlsTestModeEnable = false;
            TlsSystemConfig.tlsClientAuthServer = true;
            TlsSystemConfig.tlsClientTrustCertPath = trust;
        }
        if (tls || trust != null) {
            client.setUseTLS(true);
        }
    }
}
