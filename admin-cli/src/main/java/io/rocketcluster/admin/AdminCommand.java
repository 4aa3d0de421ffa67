package io.rocketcluster.admin;

import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/**
 * Base of every subcommand: the options RocketMQ's mqadmin gives all commands ({@code -n}), plus
 * {@code --json} and {@code --timeout}. A command fills a {@link Report}; failures are
 * {@link AdminException}s whose exit code {@link MqAdmin} returns.
 */
public abstract class AdminCommand implements Callable<Integer> {
    @Option(names = {"-n", "--namesrvAddr"}, paramLabel = "ADDR",
            description = "nameserver address list, e.g. 192.168.0.1:9876;192.168.0.2:9876 (default: $NAMESRV_ADDR)")
    String namesrvAddr;

    @Option(names = "--json", description = "print JSON instead of tables")
    boolean json;

    @Option(names = "--timeout", paramLabel = "MILLIS", defaultValue = "5000",
            description = "timeout of each request in ms (default: ${DEFAULT-VALUE})")
    long timeoutMillis;

    @Option(names = "--access-key", paramLabel = "KEY",
            description = "ACL access key to sign requests with (default: $ROCKETMQ_ACCESS_KEY, else accessKey of "
                    + "$ROCKETMQ_HOME/conf/tools.yml; none: unsigned)")
    String accessKey;

    @Option(names = "--secret-key", paramLabel = "KEY",
            description = "ACL secret key (default: $ROCKETMQ_SECRET_KEY, else secretKey of $ROCKETMQ_HOME/conf/tools.yml)")
    String secretKey;

    @Option(names = "--tls", description = "connect with TLS (default: tls.enable from JAVA_OPTS -D or "
            + "/etc/rocketmq/tls.properties); the server is checked against tls.client.trustCertPath, else the JDK's CAs")
    boolean tls;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print help")
    boolean help;

    @Spec
    CommandSpec spec;

    /** Runs the command against the servers; prints through {@code report}. */
    protected abstract void run(AdminClient client, Report report) throws Exception;

    @Override
    public Integer call() throws Exception {
        String ns = namesrvAddr;
        if (ns == null || ns.isBlank()) {
            ns = System.getProperty("rocketmq.namesrv.addr", System.getenv("NAMESRV_ADDR"));
        }
        Report report = new Report(System.out, json);
        boolean done = false;
        io.netty.handler.ssl.SslContext tlsContext;
        try {
            tlsContext = io.rocketcluster.remoting.tls.ClientTls.forOutgoing(io.rocketcluster.remoting.tls.TlsSettings
                    .resolve(tls ? java.util.Map.of(io.rocketcluster.remoting.tls.TlsSettings.CLIENT_ENABLE, "true")
                            : java.util.Map.of(), System.getProperties()), false);
        } catch (io.rocketcluster.remoting.config.ConfigException e) {
            throw usage(e.getMessage());
        }
        try (AdminClient client = new AdminClient(ns, timeoutMillis,
                ToolsCredentials.resolve(accessKey, secretKey, System.getenv(), System.getProperties()), tlsContext)) {
            run(client, report);
            done = true;
        } finally {
            if (done || !json) { // a failed command prints no half-filled JSON document
                report.finish();
            }
        }
        return 0;
    }

    /** A usage error (exit code 2) for option combinations picocli cannot express. */
    protected AdminException usage(String message) {
        return new AdminException(AdminException.USAGE, message);
    }
}
