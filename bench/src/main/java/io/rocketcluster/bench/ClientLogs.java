package io.rocketcluster.bench;

import java.nio.file.Path;

/**
 * Where the official RocketMQ client writes its own log file.
 *
 * <p>Left alone, rocketmq-client 4.9.x logs to {@code ~/logs/rocketmqlogs/rocketmq_client.log}. The
 * project's convention is that nothing lands in odd places by default, so unless the user already set
 * {@value #LOG_ROOT_PROPERTY} (e.g. through {@code JAVA_OPTS}), the CLIs point it at
 * {@code ~/rocketcluster/logs/client}. Must run before any RocketMQ client class is initialised:
 * the client reads the property once, in a static initialiser.
 */
final class ClientLogs {
    static final String LOG_ROOT_PROPERTY = "rocketmq.client.logRoot";

    private ClientLogs() {
    }

    static void useProjectLogRootUnlessSet() {
        if (System.getProperty(LOG_ROOT_PROPERTY) == null) {
            Path root = Path.of(System.getProperty("user.home"), "rocketcluster", "logs", "client");
            System.setProperty(LOG_ROOT_PROPERTY, root.toString());
        }
    }
}
