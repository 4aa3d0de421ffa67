package io.rocketcluster.namesrv;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.rocketcluster.namesrv.kvconfig.KvConfigManager;
import io.rocketcluster.namesrv.processor.BrokerRequestProcessor;
import io.rocketcluster.namesrv.processor.KvConfigRequestProcessor;
import io.rocketcluster.namesrv.processor.NamesrvConfigProcessor;
import io.rocketcluster.namesrv.processor.NamesrvRequestProcessor;
import io.rocketcluster.namesrv.processor.RouteQueryProcessor;
import io.rocketcluster.namesrv.processor.TopicAdminProcessor;
import io.rocketcluster.namesrv.route.RouteInfoManager;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.rocketcluster.remoting.metrics.MetricsServer;
import io.rocketcluster.remoting.metrics.RequestMetrics;
import io.rocketcluster.namesrv.auth.RegistrationGuard;
import io.rocketcluster.remoting.acl.PlainAclFile;
import io.rocketcluster.remoting.netty.NettyRemotingServer;
import io.rocketcluster.remoting.netty.RemotingEndpoint;
import io.rocketcluster.remoting.netty.RequestGuard;
import io.rocketcluster.remoting.tls.ServerTls;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One name server: the remoting server on {@code listenPort} (and, when set, a second one on
 * {@code externalListenPort} that answers with brokers' external addresses), the route tables, the
 * KV config, the request processors and the periodic scan for dead brokers. Build it, {@link #start()} it,
 * {@link #shutdown()} it; nothing is static, so tests run several in one JVM on port 0.
 *
 * <p>Thread-safe for start/shutdown from different threads; start once.
 */
public final class NamesrvController implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(NamesrvController.class);
    /** RocketMQ waits 5 s before the first scan. */
    private static final long FIRST_SCAN_DELAY_MILLIS = 5_000;
    private static final int REQUEST_QUEUE_CAPACITY = 10_000;

    private final NamesrvConfiguration configuration;
    private final NamesrvConfig config;
    private final RouteInfoManager routeInfoManager;
    private final KvConfigManager kvConfigManager;
    private final NettyRemotingServer server;
    /** null when externalListenPort is off */
    private final NettyRemotingServer externalServer;
    private final ExecutorService requestExecutor;
    private final ScheduledExecutorService scheduler;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private MetricsServer metricsServer;
    private PlainAclFile acl;
    private volatile boolean started;
    private volatile boolean stopped;

    public NamesrvController(NamesrvConfiguration configuration) {
        this(configuration, Clock.systemUTC());
    }

    /** {@code clock} drives broker liveness (the scan still runs on wall-clock intervals). */
    public NamesrvController(NamesrvConfiguration configuration, Clock clock) {
        this.configuration = configuration;
        this.config = configuration.namesrvConfig();
        this.routeInfoManager = new RouteInfoManager(clock, config.getBrokerChannelExpiredTime(),
                config.getRegisterMaxBrokers(), config.getRegisterMaxTopics());
        this.kvConfigManager = new KvConfigManager(Path.of(config.getKvConfigPath()), config.getKvConfigMaxEntries());
        configuration.nettyServerConfig().setListenPort(config.getListenPort());
        this.server = new NettyRemotingServer("namesrv", configuration.nettyServerConfig(), config.getListenPort());
        this.externalServer = config.getExternalListenPort() < 0 ? null
                : new NettyRemotingServer("namesrv-external", configuration.nettyServerConfig(),
                config.getExternalListenPort());
        int workers = Math.max(1, configuration.nettyServerConfig().getServerWorkerThreads());
        this.requestExecutor = new ThreadPoolExecutor(workers, workers, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(REQUEST_QUEUE_CAPACITY), new DefaultThreadFactory("namesrv-worker", true));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("namesrv-scan", true));
    }

    /**
     * Loads the KV config, binds the port and starts the dead-broker scan.
     *
     * @throws IOException          when the KV config file and its backup are unusable
     * @throws InterruptedException when interrupted while binding
     */
    public synchronized void start() throws IOException, InterruptedException {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        if (config.isClusterTest()) {
            LOG.warn("clusterTest=true has no effect: routes are never fetched from a test environment");
        }
        try {
            ServerTls tls = ServerTls.from(configuration.tls());
            server.setTls(tls);
            if (externalServer != null) {
                externalServer.setTls(tls);
            }
            if (config.isRegistrationAuthEnable()) {
                acl = PlainAclFile.load(PlainAclFile.candidates(config.getConfigStorePath(), config.getRocketmqHome()),
                        "registrationAuthEnable=true");
                RegistrationGuard guard = new RegistrationGuard(acl::rules);
                RequestGuard requestGuard = (ch, req) -> guard.refusal(RemotingEndpoint.remoteIp(ch), req);
                server.setRequestGuard(requestGuard);
                if (externalServer != null) {
                    externalServer.setRequestGuard(requestGuard);
                }
                scheduler.scheduleWithFixedDelay(acl::poll, 1, 1, TimeUnit.SECONDS);
            }
            kvConfigManager.load();
            RequestMetrics requestMetrics = new RequestMetrics(registry);
            for (NamesrvRequestProcessor p : processors(false)) {
                for (int code : p.codes()) {
                    server.registerProcessor(code, p, requestExecutor);
                }
            }
            server.setChannelEventListener(routeInfoManager::onChannelDestroy);
            server.setRequestObserver(requestMetrics);
            if (externalServer != null) {
                for (NamesrvRequestProcessor p : processors(true)) {
                    for (int code : p.codes()) {
                        externalServer.registerProcessor(code, p, requestExecutor);
                    }
                }
                externalServer.setChannelEventListener(routeInfoManager::onChannelDestroy);
                externalServer.setRequestObserver(requestMetrics);
            }
            NamesrvMetrics.register(registry, routeInfoManager);
            server.start();
            if (externalServer != null) {
                externalServer.start();
            }
            startMetricsServer();
        } catch (IOException | InterruptedException | RuntimeException e) {
            shutdown();
            throw e;
        }
        long interval = config.getScanNotActiveBrokerInterval();
        scheduler.scheduleAtFixedRate(this::scanNotActiveBroker, Math.min(FIRST_SCAN_DELAY_MILLIS, interval),
                interval, TimeUnit.MILLISECONDS);
        LOG.info("name server started on port {}{}; KV config {}; broker expiry {} ms, scanned every {} ms",
                listenPort(), externalServer == null ? "" : " (external addresses on port " + externalListenPort() + ")",
                kvConfigManager.path(), config.getBrokerChannelExpiredTime(), interval);
    }

    /** /metrics and /health/* on metricsPort; a nameserver is ready once it serves its port. */
    private void startMetricsServer() throws IOException {
        int port = config.getMetricsPort();
        if (port <= 0) {
            return;
        }
        try {
            metricsServer = MetricsServer.start("namesrv", config.getMetricsBindAddress(), port, registry,
                    () -> stopped ? "shutting down" : null);
        } catch (IOException e) {
            throw new IOException("cannot serve metrics and health on metricsPort " + port + ": " + e.getMessage(), e);
        }
    }

    /** The bound metrics port, or -1 when it is off. */
    public int metricsPort() {
        MetricsServer m = metricsServer;
        return m == null ? -1 : m.port();
    }

    private List<NamesrvRequestProcessor> processors(boolean external) {
        return List.of(
                new BrokerRequestProcessor(routeInfoManager, kvConfigManager),
                new RouteQueryProcessor(routeInfoManager, kvConfigManager, config, external),
                new TopicAdminProcessor(routeInfoManager),
                new KvConfigRequestProcessor(kvConfigManager),
                new NamesrvConfigProcessor(configuration));
    }

    private void scanNotActiveBroker() {
        try {
            routeInfoManager.scanNotActiveBroker();
        } catch (RuntimeException e) {
            LOG.error("scan for inactive brokers failed", e);
        }
    }

    /** The port actually bound (useful with {@code listenPort=0}). */
    public int listenPort() {
        return server.localPort();
    }

    /** The bound external port, or -1 when {@code externalListenPort} is off. */
    public int externalListenPort() {
        return externalServer == null ? -1 : externalServer.localPort();
    }

    public RouteInfoManager routeInfoManager() {
        return routeInfoManager;
    }

    public KvConfigManager kvConfigManager() {
        return kvConfigManager;
    }

    public NamesrvConfiguration configuration() {
        return configuration;
    }

    /** Stops serving and releases threads and the port; safe to call more than once. */
    public synchronized void shutdown() {
        if (stopped) {
            return;
        }
        stopped = true;
        scheduler.shutdownNow();
        server.close();
        if (externalServer != null) {
            externalServer.close();
        }
        requestExecutor.shutdown();
        try {
            if (!requestExecutor.awaitTermination(3, TimeUnit.SECONDS)) {
                requestExecutor.shutdownNow();
            }
        } catch (InterruptedException e) {
            requestExecutor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (metricsServer != null) {
            metricsServer.close();
        }
        LOG.info("name server stopped");
    }

    @Override
    public void close() {
        shutdown();
    }
}
