package io.rocketcluster.broker;

import io.rocketcluster.broker.config.BrokerConfigLoader;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/** A started in-process broker on loopback with no nameserver, for tests that talk to it over the wire. */
public final class TestBrokers {
    private TestBrokers() {
    }

    /** Starts broker {@code name} on {@code port} with its store under {@code dir}; {@code extra} are broker.conf keys. */
    public static BrokerController start(Path dir, int port, String name, Map<String, String> extra) {
        return start(dir, port, name, extra, Duration.ofSeconds(30));
    }

    /** As above; a {@code brokerIP1} that does not resolve is retried for {@code brokerIP1Wait}. */
    public static BrokerController start(Path dir, int port, String name, Map<String, String> extra,
                                         Duration brokerIP1Wait) {
        Properties p = new Properties();
        p.setProperty("brokerIP1", "127.0.0.1");
        p.setProperty("brokerName", name);
        p.setProperty("listenPort", String.valueOf(port));
        p.setProperty("storePathRootDir", dir.resolve("store").toString());
        p.setProperty("mappedFileSizeCommitLog", String.valueOf(16 * 1024 * 1024));
        extra.forEach(p::setProperty);
        BrokerConfigLoader.Loaded c = BrokerConfigLoader.load(p, null, null);
        c.broker().setNamesrvAddr(null);
        BrokerController broker = new BrokerController(c.broker(), c.store(), c.server(), brokerIP1Wait);
        broker.setTls(c.tls());
        try {
            broker.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return broker;
    }
}
