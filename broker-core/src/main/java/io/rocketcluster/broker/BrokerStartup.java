package io.rocketcluster.broker;

import io.rocketcluster.broker.config.BrokerConfigLoader;
import io.rocketcluster.broker.store.DiskSync;
import io.rocketcluster.remoting.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.concurrent.Callable;

/** {@code mqbroker [-c broker.conf] [-n namesrvAddr] [-p]}: starts a broker until SIGTERM. */
@Command(name = "mqbroker", mixinStandardHelpOptions = true, description = "Starts a RocketCluster broker.")
public final class BrokerStartup implements Callable<Integer> {
    @Option(names = {"-c", "--configFile"}, description = "broker.conf (java.util.Properties syntax)")
    Path configFile;

    @Option(names = {"-n", "--namesrvAddr"}, description = "nameserver list, e.g. 127.0.0.1:9876;127.0.0.1:9877")
    String namesrvAddr;

    @Option(names = {"-p", "--printConfigItem"}, description = "print all settings and exit")
    boolean printConfig;

    @Option(names = {"-m", "--printImportantConfig"}, description = "print important settings and exit")
    boolean printImportant;

    public static void main(String[] args) {
        shortenDnsCache();
        System.exit(new CommandLine(new BrokerStartup()).execute(args));
    }

    /**
     * Caches DNS answers for 10 s (failed lookups for 1 s) instead of the JDK's 30 s (10 s), unless
     * the user chose values ({@code -Dsun.net.inetaddr.ttl}, or {@code networkaddress.cache.ttl} in
     * java.security). In Kubernetes {@code namesrvAddr} can be one headless Service name whose
     * addresses are the nameserver pods, re-resolved every registration round, and {@code brokerIP1}
     * the pod's own record, which appears shortly after start; a short cache sees both changes soon.
     * Must run before the first lookup: the JDK reads these once.
     */
    static void shortenDnsCache() {
        if (Security.getProperty("networkaddress.cache.ttl") == null
                && System.getProperty("sun.net.inetaddr.ttl") == null) {
            Security.setProperty("networkaddress.cache.ttl", "10");
        }
        String negative = Security.getProperty("networkaddress.cache.negative.ttl");
        if ((negative == null || negative.equals("10")) // "10" is what the JDK's java.security ships
                && System.getProperty("sun.net.inetaddr.negative.ttl") == null) {
            Security.setProperty("networkaddress.cache.negative.ttl", "1");
        }
    }

    static final String FAULT_INJECTION_PROPERTY = "rocketcluster.faultInjection.diskSync";
    static final String CLOCK_INJECTION_PROPERTY = "rocketcluster.faultInjection.clock";

    /**
     * The store's {@link DiskSync}: the real msync, unless the JVM property
     * {@value #FAULT_INJECTION_PROPERTY} names a class implementing it (with a public no-argument
     * constructor) on the classpath. Only fault tests set it: they prove with a real broker and the
     * official client what a failing disk does (README "Limits and guarantees").
     */
    static DiskSync diskSync() {
        return injected(FAULT_INJECTION_PROPERTY, DiskSync.class, DiskSync.SYSTEM, "the store forces through");
    }

    /**
     * The broker's wall clock: the system clock, unless {@value #CLOCK_INJECTION_PROPERTY} names a
     * {@link LongSupplier} class on the classpath (fault tests: a clock minutes off, or one that jumps).
     */
    static LongSupplier clock() {
        return injected(CLOCK_INJECTION_PROPERTY, LongSupplier.class, System::currentTimeMillis, "the broker's clock is");
    }

    private static <T> T injected(String property, Class<T> type, T normal, String says) {
        String className = System.getProperty(property);
        if (className == null || className.isBlank()) {
            return normal;
        }
        try {
            T t = type.cast(Class.forName(className).getDeclaredConstructor().newInstance());
            System.err.println("mqbroker: fault injection: " + says + " " + className);
            return t;
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("cannot use " + className + " as " + property + ": " + e, e);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (configFile != null && !Files.isReadable(configFile)) {
            System.err.println("mqbroker: cannot read config file " + configFile);
            return 1;
        }
        BrokerConfigLoader.Loaded cfg;
        try {
            cfg = BrokerConfigLoader.load(configFile, namesrvAddr);
        } catch (ConfigException e) {
            System.err.println("mqbroker: " + e.getMessage());
            return 1;
        }
        if (printConfig || printImportant) {
            System.out.print(cfg.binder().render());
            return 0;
        }
        BrokerController broker = new BrokerController(cfg.broker(), cfg.store(), cfg.server(),
                Duration.ofSeconds(30), diskSync(), clock());
        broker.setTls(cfg.tls());
        // SIGTERM (bin/mqshutdown, docker stop, Kubernetes) takes the graceful path, even during start-up
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.shutdown();
            org.apache.logging.log4j.LogManager.shutdown();
        }, "broker-shutdown-hook"));
        try {
            broker.start();
        } catch (RuntimeException e) {
            System.err.println("mqbroker: start failed: " + e.getMessage());
            broker.shutdown();
            return 1;
        }
        System.out.printf("The broker[%s, %s] boot success. serializeType=JSON and name server is %s%n",
                cfg.broker().getBrokerName(), cfg.broker().brokerAddr(), cfg.broker().getNamesrvAddr());
        System.out.flush();
        Thread.currentThread().join();
        return 0;
    }
}
