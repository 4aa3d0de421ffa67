package io.rocketcluster.remoting.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * The TLS engine: BoringSSL through netty-tcnative when its native library loads on this platform (faster,
 * less garbage), the JDK's otherwise. Set {@code -Drocketcluster.tls.provider=JDK} to force the JDK's.
 */
public final class SslProviders {
    private SslProviders() {
    }

    public static SslProvider preferred() {
        if ("JDK".equalsIgnoreCase(System.getProperty("rocketcluster.tls.provider"))) {
            return SslProvider.JDK;
        }
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }
}
