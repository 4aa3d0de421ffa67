package io.rocketcluster.namesrv;

import io.rocketcluster.remoting.config.ConfigException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code mqnamesrv [-c file] [-p]}: loads the settings, starts a {@link NamesrvController}, prints
 * {@code The Name Server boot success. serializeType=JSON listenPort=<port>} and serves until the
 * JVM is told to stop (SIGTERM runs the shutdown hook). A bad setting is one line on stderr naming
 * the key, and exit code 1.
 */
@Command(name = "mqnamesrv", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Starts a RocketCluster name server (RocketMQ 4.x wire compatible).")
public final class NamesrvStartup implements Callable<Integer> {
    private static final Logger LOG = LogManager.getLogger(NamesrvStartup.class);

    @Option(names = {"-c", "--configFile"}, paramLabel = "FILE",
            description = "name server config file (java.util.Properties syntax)")
    Path configFile;

    @Option(names = {"-p", "--printConfigItem"}, description = "print all settings and exit")
    boolean printConfigItem;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile NamesrvController controller;

    public NamesrvStartup(PrintStream out, PrintStream err) {
        this(out, err, System.getenv());
    }

    /** {@code env}: where {@code RC_*} config variables are read from (tests pass their own). */
    public NamesrvStartup(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        NamesrvStartup startup = new NamesrvStartup(System.out, System.err);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            startup.stop();
            LogManager.shutdown();
        }, "namesrv-shutdown"));
        int code = new CommandLine(startup).execute(args);
        System.exit(code);
    }

    /** Starts the name server and blocks until {@link #stop()}; the exit code. */
    @Override
    public Integer call() throws InterruptedException {
        NamesrvConfiguration configuration;
        String serializeType;
        try {
            configuration = loadConfiguration();
            serializeType = serializeType();
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 1;
        }
        if (printConfigItem) {
            out.print(configuration.render());
            out.flush();
            return 0;
        }
        LOG.info("name server settings:\n{}", configuration.render());
        NamesrvController c = new NamesrvController(configuration);
        synchronized (this) {
            if (stopped.getCount() == 0) {
                return 0;
            }
            controller = c;
        }
        try {
            c.start();
        } catch (IOException | RuntimeException e) {
            LOG.error("the name server failed to start", e);
            err.println("The Name Server failed to start: " + e.getMessage());
            return 1;
        }
        out.println("The Name Server boot success. serializeType=" + serializeType + " listenPort=" + c.listenPort()
                + (c.externalListenPort() < 0 ? "" : " externalListenPort=" + c.externalListenPort()));
        out.flush();
        stopped.await();
        return 0;
    }

    /** Defaults, then the file ({@code -c}), then the {@code RC_*} environment variables. */
    private NamesrvConfiguration loadConfiguration() {
        NamesrvConfiguration configuration = NamesrvConfiguration.defaults();
        try {
            if (configFile != null) {
                List<String> unknown = configuration.applyFile(configFile);
                unknown.forEach(k -> err.println("warning: unknown config key '" + k + "' is ignored"));
            }
            configuration.applyEnv(env)
                    .forEach(k -> err.println("warning: unknown config key in environment variable '" + k + "' is ignored"));
            return configuration;
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + configFile + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read config file " + configFile + ": " + e.getMessage());
        }
    }

    /** What requests we originate would use; we answer every request in its own type. */
    private static String serializeType() {
        String v = System.getProperty("rocketmq.serialize.type", System.getenv("ROCKETMQ_SERIALIZE_TYPE"));
        if (v == null || v.isBlank()) {
            return "JSON";
        }
        String type = v.trim().toUpperCase(Locale.ROOT);
        if (!type.equals("JSON") && !type.equals("ROCKETMQ")) {
            throw new ConfigException("bad value for rocketmq.serialize.type / ROCKETMQ_SERIALIZE_TYPE: '" + v
                    + "' is not JSON or ROCKETMQ");
        }
        return type;
    }

    /** Stops the name server started by {@link #call()} (the shutdown hook calls this). */
    public void stop() {
        NamesrvController c;
        synchronized (this) {
            c = controller;
            stopped.countDown();
        }
        if (c != null) {
            c.shutdown();
        }
    }

    /** The running controller, or null before start (for tests). */
    NamesrvController controller() {
        return controller;
    }
}
