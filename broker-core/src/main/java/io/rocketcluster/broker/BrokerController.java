package io.rocketcluster.broker;

import io.netty.channel.Channel;
import io.rocketcluster.broker.client.ConsumerGroupInfo;
import io.rocketcluster.broker.client.ConsumerManager;
import io.rocketcluster.broker.client.ProducerManager;
import io.rocketcluster.broker.client.RebalanceLockManager;
import io.rocketcluster.broker.client.SubscriptionGroupManager;
import io.rocketcluster.broker.config.BrokerConfig;
import io.rocketcluster.broker.config.BrokerRole;
import io.rocketcluster.broker.config.HostResolver;
import io.rocketcluster.broker.config.MessageStoreConfig;
import io.rocketcluster.broker.config.NetworkAddresses;
import io.rocketcluster.broker.ha.HaClient;
import io.rocketcluster.broker.ha.HaServer;
import io.rocketcluster.broker.ha.SlaveSynchronizer;
import io.rocketcluster.broker.metrics.BrokerMetrics;
import io.rocketcluster.broker.processor.MetadataProcessor;
import io.rocketcluster.broker.processor.SendBackProcessor;
import io.rocketcluster.broker.schedule.ScheduleMessageService;
import io.rocketcluster.broker.transaction.EndTransactionProcessor;
import io.rocketcluster.broker.transaction.TransactionCheckService;
import io.rocketcluster.broker.transaction.TransactionalMessages;
import io.rocketcluster.broker.util.JsonConfigFile;
import io.rocketcluster.broker.longpolling.PullRequestHoldService;
import io.rocketcluster.broker.offset.ConsumerOffsetManager;
import io.rocketcluster.broker.processor.ClientManageProcessor;
import io.rocketcluster.broker.processor.ConsumerManageProcessor;
import io.rocketcluster.broker.processor.LockProcessor;
import io.rocketcluster.broker.processor.PullMessageProcessor;
import io.rocketcluster.broker.processor.QueryMessageProcessor;
import io.rocketcluster.broker.processor.QueueQueryProcessor;
import io.rocketcluster.broker.processor.SendMessageProcessor;
import io.rocketcluster.broker.registry.NameServerRegistrar;
import io.rocketcluster.broker.store.MessageStore;
import io.rocketcluster.broker.topic.TopicConfigManager;
import io.rocketcluster.remoting.metrics.MetricsServer;
import io.rocketcluster.remoting.netty.NettyRemotingClient;
import io.rocketcluster.remoting.netty.NettyRemotingServer;
import io.rocketcluster.remoting.tls.ClientTls;
import io.rocketcluster.remoting.tls.ServerTls;
import io.rocketcluster.remoting.tls.TlsSettings;
import io.rocketcluster.remoting.netty.NettyServerConfig;
import io.rocketcluster.remoting.netty.RemotingEndpoint;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Wires one broker: store, managers, request processors on the client port and the fast port
 * (listenPort-2, everything but pulls), registration with the nameservers and periodic tasks.
 */
public final class BrokerController {
    private static final Logger LOG = LogManager.getLogger(BrokerController.class);
    /** How long start-up waits for a {@code brokerIP1} DNS name to resolve (a new pod's record lags). */
    private static final Duration BROKER_IP1_WAIT = Duration.ofSeconds(30);

    private final BrokerConfig brokerConfig;
    private final MessageStoreConfig storeConfig;
    private final NettyServerConfig serverConfig;
    private final LongSupplier clock;
    private final MessageStore store;
    private final TopicConfigManager topics;
    private final ConsumerOffsetManager offsets;
    private final SubscriptionGroupManager groups;
    private final ConsumerManager consumers;
    private final ProducerManager producers;
    private final RebalanceLockManager locks;
    private final BrokerStats stats = new BrokerStats();
    private final InetSocketAddress storeHost;
    private final NettyRemotingClient outClient;
    private final NameServerRegistrar registrar;
    private final List<ExecutorService> executors = new ArrayList<>();
    /** The request pools by name (send, pull, query, ...), for runtime info. */
    private final java.util.Map<String, io.rocketcluster.broker.util.RequestExecutor> requestExecutors =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private NettyRemotingServer server;
    private NettyRemotingServer fastServer;
    private PullRequestHoldService holdService;
    private io.rocketcluster.remoting.acl.PlainAclFile acl;
    private TlsSettings tls = TlsSettings.none();
    private ServerTls serverTls = ServerTls.off();
    private io.netty.handler.ssl.SslContext clientTls;
    private HaServer haServer;
    private HaClient haClient;
    private SlaveSynchronizer synchronizer;
    private ScheduleMessageService schedule;
    private final TransactionalMessages transactions;
    private TransactionCheckService transactionCheck;
    private volatile boolean shutdown;
    private final InFlightRequests inFlightSends = new InFlightRequests();
    private final BrokerMetrics metrics;
    private MetricsServer metricsServer;
    /** Set once the store has recovered and started. */
    private volatile boolean storeRecovered;
    /** Nameservers that accepted the last registration round. */
    private volatile int registeredNameServers;

    public BrokerController(BrokerConfig brokerConfig, MessageStoreConfig storeConfig, NettyServerConfig serverConfig) {
        this(brokerConfig, storeConfig, serverConfig, BROKER_IP1_WAIT);
    }

    /**
     * As above; {@code brokerIP1Wait} bounds how long a {@code brokerIP1} that does not resolve yet is
     * retried before message ids fall back to the local address (see {@link NetworkAddresses#storeHost}).
     */
    public BrokerController(BrokerConfig brokerConfig, MessageStoreConfig storeConfig, NettyServerConfig serverConfig,
                            Duration brokerIP1Wait) {
        this(brokerConfig, storeConfig, serverConfig, brokerIP1Wait, io.rocketcluster.broker.store.DiskSync.SYSTEM);
    }

    /** As above, with the store forcing through {@code diskSync} (fault-injection tests; see BrokerStartup). */
    public BrokerController(BrokerConfig brokerConfig, MessageStoreConfig storeConfig, NettyServerConfig serverConfig,
                            Duration brokerIP1Wait, io.rocketcluster.broker.store.DiskSync diskSync) {
        this(brokerConfig, storeConfig, serverConfig, brokerIP1Wait, diskSync, System::currentTimeMillis);
    }

    /**
     * As above, with {@code clock} as the broker's wall clock: store and retention times, expiries, and the
     * replication handshake's timestamps (fault-injection tests skew it; see BrokerStartup). Heartbeats and
     * timeouts measure intervals on a monotonic clock instead.
     */
    public BrokerController(BrokerConfig brokerConfig, MessageStoreConfig storeConfig, NettyServerConfig serverConfig,
                            Duration brokerIP1Wait, io.rocketcluster.broker.store.DiskSync diskSync, LongSupplier clock) {
        this.brokerConfig = brokerConfig;
        this.storeConfig = storeConfig;
        this.serverConfig = serverConfig;
        this.clock = clock;
        Path configDir = Path.of(storeConfig.getStorePathRootDir(), "config");
        this.store = new MessageStore(storeConfig, clock, io.rocketcluster.broker.store.DiskUsage.fileSystem(), diskSync);
        this.topics = new TopicConfigManager(brokerConfig, configDir, clock);
        this.offsets = new ConsumerOffsetManager(configDir);
        this.groups = new SubscriptionGroupManager(configDir, brokerConfig.isAutoCreateSubscriptionGroup(),
                new io.rocketcluster.broker.util.CreationBudget("subscription groups",
                        "autoCreateSubscriptionGroupMaxCount", brokerConfig.getAutoCreateSubscriptionGroupMaxCount(),
                        "autoCreateSubscriptionGroupMaxPerMinute",
                        brokerConfig.getAutoCreateSubscriptionGroupMaxPerMinute(), clock), clock);
        this.consumers = new ConsumerManager(this::notifyConsumerIdsChanged, clock);
        this.producers = new ProducerManager(clock);
        this.locks = new RebalanceLockManager(clock);
        this.storeHost = NetworkAddresses.storeHost(brokerConfig.getBrokerIP1(), brokerConfig.getListenPort(),
                brokerIP1Wait, Duration.ofSeconds(1), HostResolver.SYSTEM);
        this.outClient = new NettyRemotingClient("broker-out");
        String haAddr = brokerConfig.getBrokerIP2() + ":" + (brokerConfig.getListenPort() + 1);
        this.registrar = new NameServerRegistrar(brokerConfig, haAddr, outClient,
                () -> io.rocketcluster.broker.registry.RegisteredTopics.withBrokerPermission(topics.snapshot(),
                        brokerConfig.getBrokerPermission()), this::onMasterInfo);
        this.scheduler = Executors.newScheduledThreadPool(2, daemon("broker-scheduled"));
        this.transactions = new TransactionalMessages(store, topics, storeHost);
        this.metrics = new BrokerMetrics(new BrokerMetrics.Sources(store, offsets, () -> haServer, () -> haClient,
                brokerConfig.getBrokerClusterName(), brokerConfig.getBrokerName(), brokerConfig.getBrokerId(),
                storeConfig.getBrokerRole().name(), brokerConfig.getMetricsMaxLabelValues()));
    }

    /** The TLS keys (docs/tls.md); set before {@link #start}. None: plaintext everywhere. */
    public void setTls(TlsSettings tls) {
        this.tls = tls;
    }

    public void start() throws InterruptedException {
        serverTls = ServerTls.from(tls);
        clientTls = ClientTls.forOutgoing(tls, brokerConfig.isUseTLS() || serverTls.mode() == ServerTls.Mode.ENFORCING);
        outClient.setTls(clientTls);
        LOG.info("ports: {}; outgoing connections: {}{}", serverTls.describe(), clientTls == null ? "plaintext" : "TLS",
                tls.describe().isEmpty() ? "" : "; TLS keys: " + String.join(", ", tls.describe()));
        if (brokerConfig.isAclEnable() && isSlave()
                && (isBlank(brokerConfig.getBrokerAccessKey()) || isBlank(brokerConfig.getBrokerSecretKey()))) {
            throw new IllegalStateException("aclEnable=true on a slave needs brokerAccessKey and brokerSecretKey: "
                    + "the keys of an admin account of the master's plain_acl.yml, to replicate with");
        }
        if (!isBlank(brokerConfig.getBrokerAccessKey()) && !isBlank(brokerConfig.getBrokerSecretKey())) {
            outClient.setRequestSigner(new io.rocketcluster.remoting.acl.AclCredentials(
                    brokerConfig.getBrokerAccessKey(), brokerConfig.getBrokerSecretKey()));
        }
        acl = brokerConfig.isAclEnable() ? io.rocketcluster.remoting.acl.PlainAclFile.load(
                io.rocketcluster.remoting.acl.PlainAclFile.candidates(brokerConfig.getBrokerConfigPath(),
                        brokerConfig.getRocketmqHome())) : null;
        startMetricsServer();
        store.start();
        storeRecovered = true;
        topics.load();
        offsets.load();
        groups.load();
        startReplication();

        ExecutorService sendPool = pool("send", brokerConfig.getSendMessageThreadPoolNums(),
                brokerConfig.getSendThreadPoolQueueCapacity());
        ExecutorService pullPool = pool("pull", brokerConfig.getPullMessageThreadPoolNums(),
                brokerConfig.getPullThreadPoolQueueCapacity());
        ExecutorService queryPool = pool("query", brokerConfig.getQueryMessageThreadPoolNums(), 20000);
        ExecutorService clientPool = pool("client-manage", brokerConfig.getClientManageThreadPoolNums(), 50000);
        ExecutorService consumerPool = pool("consumer-manage", brokerConfig.getConsumerManageThreadPoolNums(), 50000);
        ExecutorService heartbeatPool = pool("heartbeat", brokerConfig.getHeartbeatThreadPoolNums(), 50000);
        ExecutorService endTransactionPool = pool("end-transaction", 8 + 2 * Runtime.getRuntime().availableProcessors(), 100000);
        ExecutorService adminPool = pool("admin", brokerConfig.getAdminBrokerThreadPoolNums(), 10000);
        io.rocketcluster.broker.admin.AdminProcessors admin = new io.rocketcluster.broker.admin.AdminProcessors(this);

        PullMessageProcessor pull = new PullMessageProcessor(this);
        holdService = new PullRequestHoldService((ch, req) -> pull.pull(ch, req, false),
                store::maxOffset, pullPool, !isSlave(), new PullRequestHoldService.Limits(
                        brokerConfig.getPullHoldMaxRequests(), brokerConfig.getPullHoldMaxRequestsPerConnection()));
        store.addArrivalListener(holdService);
        store.addArrivalListener((topic, queueId, nextOffset, tagsCode) -> stats.recordTopicPut(topic, 1));

        server = new NettyRemotingServer("broker", serverConfig, brokerConfig.getListenPort());
        fastServer = new NettyRemotingServer("broker-fast", serverConfig, brokerConfig.getListenPort() - 2);
        server.setTls(serverTls);
        fastServer.setTls(serverTls);
        for (NettyRemotingServer s : List.of(server, fastServer)) {
            admin.registerOn(s, adminPool);
            var aclAdmin = new io.rocketcluster.broker.acl.AclAdminProcessor(acl, brokerConfig, clock);
            for (int code : io.rocketcluster.broker.acl.AclAdminProcessor.codes()) {
                s.registerProcessor(code, aclAdmin, adminPool);
            }
            RequestProcessor send = new SendMessageProcessor(this);
            s.registerProcessor(RequestCode.SEND_MESSAGE, send, sendPool);
            s.registerProcessor(RequestCode.SEND_MESSAGE_V2, send, sendPool);
            s.registerProcessor(RequestCode.SEND_BATCH_MESSAGE, send, sendPool);
            s.registerProcessor(RequestCode.CONSUMER_SEND_MSG_BACK, new SendBackProcessor(this), sendPool);
            s.registerProcessor(RequestCode.END_TRANSACTION, new EndTransactionProcessor(this), endTransactionPool);
            RequestProcessor client = new ClientManageProcessor(this);
            s.registerProcessor(RequestCode.HEART_BEAT, client, heartbeatPool);
            s.registerProcessor(RequestCode.UNREGISTER_CLIENT, client, clientPool);
            s.registerProcessor(RequestCode.CHECK_CLIENT_CONFIG, client, clientPool);
            RequestProcessor consumer = new ConsumerManageProcessor(this);
            s.registerProcessor(RequestCode.GET_CONSUMER_LIST_BY_GROUP, consumer, consumerPool);
            s.registerProcessor(RequestCode.QUERY_CONSUMER_OFFSET, consumer, consumerPool);
            s.registerProcessor(RequestCode.UPDATE_CONSUMER_OFFSET, consumer, consumerPool);
            RequestProcessor query = new QueueQueryProcessor(this);
            for (int code : new int[]{RequestCode.GET_MAX_OFFSET, RequestCode.GET_MIN_OFFSET,
                    RequestCode.GET_EARLIEST_MSG_STORETIME, RequestCode.SEARCH_OFFSET_BY_TIMESTAMP,
                    RequestCode.VIEW_MESSAGE_BY_ID}) {
                s.registerProcessor(code, query, queryPool);
            }
            s.registerProcessor(RequestCode.QUERY_MESSAGE, new QueryMessageProcessor(this), queryPool);
            RequestProcessor metadata = new MetadataProcessor(this);
            for (int code : new int[]{RequestCode.GET_ALL_TOPIC_CONFIG, RequestCode.GET_ALL_CONSUMER_OFFSET,
                    RequestCode.GET_ALL_DELAY_OFFSET, RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG}) {
                s.registerProcessor(code, metadata, queryPool);
            }
            RequestProcessor lock = new LockProcessor(this);
            s.registerProcessor(RequestCode.LOCK_BATCH_MQ, lock, queryPool);
            s.registerProcessor(RequestCode.UNLOCK_BATCH_MQ, lock, queryPool);
            s.setChannelEventListener((addr, ch) -> {
                consumers.channelClosed(ch);
                producers.channelClosed(ch);
            });
        }
        server.registerProcessor(RequestCode.PULL_MESSAGE, pull, pullPool);
        server.registerProcessor(RequestCode.LITE_PULL_MESSAGE, pull, pullPool);
        if (acl != null) {
            var validator = new io.rocketcluster.broker.acl.PlainAccessValidator(acl::rules);
            io.rocketcluster.remoting.netty.RequestGuard guard = (ch, req) -> validator.refusal(
                    io.rocketcluster.remoting.netty.RemotingEndpoint.remoteIp(ch), req);
            server.setRequestGuard(guard);
            fastServer.setRequestGuard(guard);
            scheduler.scheduleWithFixedDelay(acl::poll, 1, 1, TimeUnit.SECONDS);
        }
        server.setRequestObserver(metrics.requests());
        fastServer.setRequestObserver(metrics.requests());
        server.start();
        fastServer.start();

        int registered = registrar.registerAll().join();
        registeredNameServers = registered;
        int period = Math.max(10000, Math.min(60000, brokerConfig.getRegisterNameServerPeriod()));
        scheduler.scheduleAtFixedRate(this::registerQuietly, 10000, period, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::persistOffsets, brokerConfig.getFlushConsumerOffsetInterval(),
                brokerConfig.getFlushConsumerOffsetInterval(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> {
            consumers.expire(brokerConfig.getChannelExpiredTimeout());
            producers.expire(brokerConfig.getChannelExpiredTimeout());
        }, 10, 10, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(holdService::check, 1000, 1000, TimeUnit.MILLISECONDS);
        if (brokerConfig.isBrokerFastFailureEnable()) {
            scheduler.scheduleWithFixedDelay(this::failStaleRequests, 10, 10, TimeUnit.MILLISECONDS);
        }
        scheduler.scheduleAtFixedRate(stats.traffic()::sample, 1000, 1000, TimeUnit.MILLISECONDS);
        if (!isSlave()) {
            transactionCheck = new TransactionCheckService(store, topics, offsets, producers, server, brokerConfig, clock);
            long interval = brokerConfig.getTransactionCheckInterval();
            scheduler.scheduleWithFixedDelay(this::checkTransactions, interval, interval, TimeUnit.MILLISECONDS);
        }
        LOG.info("broker {} ({}) started on {}, registered with {}/{} nameservers", brokerConfig.getBrokerName(),
                storeConfig.getBrokerRole(), brokerConfig.brokerAddr(), registered, registrar.lastTargets().size());
    }

    /** Master: serve slaves on listenPort+1 (and wait for them when SYNC_MASTER). Slave: follow the master. */
    private void startReplication() throws InterruptedException {
        io.rocketcluster.broker.ha.EpochHistory epochs = loadEpochs();
        if (isSlave()) {
            haClient = new HaClient(store, storeConfig, haIdentity(brokerConfig.getBrokerId()), acl == null ? null
                    : new io.rocketcluster.broker.ha.HaHandshake.Keys(brokerConfig.getBrokerAccessKey(),
                    brokerConfig.getBrokerSecretKey()), epochs);
            haClient.setTls(clientTls);
            haClient.setWallClock(clock);
            haClient.start();
            synchronizer = new SlaveSynchronizer(outClient, topics, offsets, groups,
                    new JsonConfigFile<>(delayOffsetPath(), Object.class), brokerConfig.brokerAddr());
            scheduler.scheduleWithFixedDelay(synchronizer::syncAll, 3000, 10000, TimeUnit.MILLISECONDS);
        } else {
            // a new epoch, on disk, before the first write of this run (replication.md §9.1)
            io.rocketcluster.broker.ha.Epoch epoch = epochs.begin(store.commitLogMaxOffset(),
                    storeConfig.getBrokerRole() == BrokerRole.SYNC_MASTER
                            && storeConfig.getFlushDiskType() == io.rocketcluster.broker.config.FlushDiskType.ASYNC_FLUSH);
            LOG.info("master epoch {} begins at commitlog offset {}", epoch.epoch(), epoch.startOffset());
            io.rocketcluster.broker.ha.WriteFence fence = loadFence();
            store.setWriteFence(fence::refusal);
            schedule = new ScheduleMessageService(store, delayOffsetPath(), clock);
            schedule.load();
            schedule.start(storeConfig.getFlushDelayOffsetInterval());
            haServer = new HaServer(store, storeConfig, brokerConfig.getListenPort() + 1, haIdentity(0),
                    acl == null ? null : accessKey -> {
                        var account = acl.rules().account(accessKey);
                        return account == null ? null
                                : new io.rocketcluster.broker.ha.HaHandshake.Account(account.secretKey(), account.admin());
                    }, epochs, fence);
            haServer.setTls(serverTls);
            haServer.setWallClock(clock);
            haServer.start();
            if (storeConfig.getBrokerRole() == BrokerRole.SYNC_MASTER) {
                store.setReplicaWaiter(haServer.acks());
            }
        }
    }

    private io.rocketcluster.broker.ha.WriteFence loadFence() {
        try {
            return io.rocketcluster.broker.ha.WriteFence.load(Path.of(storeConfig.getStorePathRootDir(), "ha-fence"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the HA write fence: " + e.getMessage(), e);
        }
    }

    private io.rocketcluster.broker.ha.EpochHistory loadEpochs() {
        try {
            return io.rocketcluster.broker.ha.EpochHistory.load(Path.of(storeConfig.getStorePathRootDir(), "epochs"),
                    store.commitLogMaxOffset(), new java.security.SecureRandom()::nextLong);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the epoch history: " + e.getMessage(), e);
        }
    }

    private io.rocketcluster.broker.ha.HaHandshake.Identity haIdentity(long brokerId) {
        return new io.rocketcluster.broker.ha.HaHandshake.Identity(brokerConfig.getBrokerClusterName(),
                brokerConfig.getBrokerName(), brokerId);
    }

    private void onMasterInfo(NameServerRegistrar.MasterInfo info) {
        if (haClient != null) {
            haClient.updateMasterAddress(info.haServerAddr());
        }
        if (synchronizer != null && synchronizer.updateMasterAddress(info.metadataAddr())) {
            scheduler.execute(synchronizer::syncAll);
        }
    }

    /** A consumer's explicit offset commit; a slave remembers it to hand it back to a returning master. */
    public void commitOffset(String group, String topic, int queueId, long offset) {
        offsets.commit(group, topic, queueId, offset);
        if (synchronizer != null) {
            synchronizer.recordLocalCommit(group, topic, queueId, offset);
        }
    }

    public boolean isSlave() {
        return storeConfig.getBrokerRole() == BrokerRole.SLAVE;
    }

    private Path delayOffsetPath() {
        return Path.of(storeConfig.getStorePathRootDir(), "config", "delayOffset.json");
    }

    /** The delayOffset.json text (what GET_ALL_DELAY_OFFSET returns); an empty table when none. */
    public String delayOffsetsJson() {
        if (schedule != null) {
            return new String(io.rocketcluster.remoting.data.Json.encode(schedule.snapshot()),
                    java.nio.charset.StandardCharsets.UTF_8);
        }
        try {
            Path p = delayOffsetPath();
            return Files.exists(p) ? Files.readString(p) : "{\"offsetTable\":{}}";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public HaServer haServer() {
        return haServer;
    }

    public HaClient haClient() {
        return haClient;
    }

    private void checkTransactions() {
        try {
            transactionCheck.check();
        } catch (RuntimeException e) {
            LOG.error("transaction check failed", e);
        }
    }

    public TransactionalMessages transactions() {
        return transactions;
    }

    private void registerQuietly() {
        try {
            registrar.registerAll().thenAccept(n -> registeredNameServers = n);
        } catch (RuntimeException e) {
            LOG.warn("periodic registration failed", e);
        }
    }

    /** Re-registers at once (after a topic was created). */
    public void registerWithNameServers() {
        registrar.registerAll().thenAccept(n -> registeredNameServers = n);
    }

    private void persistOffsets() {
        try {
            offsets.persist();
        } catch (RuntimeException e) {
            LOG.error("persisting consumer offsets failed", e);
        }
    }

    private void notifyConsumerIdsChanged(ConsumerGroupInfo group) {
        for (Channel ch : group.channels().keySet()) {
            RemotingCommand notify = RemotingCommand.request(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED)
                    .put("consumerGroup", group.groupName());
            server.invokeOneway(ch, notify);
        }
    }

    /**
     * The graceful stop (SIGTERM, bin/mqshutdown), in this order: refuse new sends (answered
     * SERVICE_NOT_AVAILABLE, so producers retry on another broker) and report not ready; wait for the
     * sends already accepted to be answered (a SYNC_MASTER send still needs the HA port); stop the
     * periodic tasks, the delayed-message service, the client ports and the request pools; flush and
     * close the store (checkpoint written, {@code abort} marker removed: the next start needs no
     * recovery scan); persist offsets, topics and groups; unregister from every nameserver; close the
     * HA and metrics ports last.
     */
    public synchronized void shutdown() {
        if (shutdown) {
            return;
        }
        shutdown = true;
        LOG.info("broker {} shutting down: refusing new sends", brokerConfig.getBrokerName());
        inFlightSends.close();
        scheduler.shutdownNow();
        try {
            if (!inFlightSends.awaitIdle(10, TimeUnit.SECONDS)) {
                LOG.warn("{} sends still unanswered after 10 s; stopping anyway", inFlightSends.count());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (schedule != null) {
            schedule.close();
        }
        if (fastServer != null) {
            fastServer.close();
        }
        if (server != null) {
            server.close();
        }
        if (holdService != null) {
            holdService.close();
        }
        for (ExecutorService e : executors) {
            e.shutdown();
        }
        for (ExecutorService e : executors) {
            try {
                if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
                    e.shutdownNow();
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        if (haClient != null) {
            haClient.close();
        }
        store.shutdown();
        offsets.persist();
        topics.persist();
        groups.persist();
        registrar.unregisterAll();
        if (haServer != null) {
            haServer.close();
        }
        outClient.close();
        if (metricsServer != null) {
            metricsServer.close();
        }
        LOG.info("broker {} stopped", brokerConfig.getBrokerName());
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Fast failure: sends and pulls that waited too long in their queue are answered SYSTEM_BUSY. */
    private void failStaleRequests() {
        requestExecutors.get("send").failStale(brokerConfig.getWaitTimeMillsInSendQueue(), "waitTimeMillsInSendQueue");
        requestExecutors.get("pull").failStale(brokerConfig.getWaitTimeMillsInPullQueue(), "waitTimeMillsInPullQueue");
    }

    /** Starts the /metrics and /health/* port first, so probes see a live, not yet ready broker during recovery. */
    private void startMetricsServer() {
        int port = brokerConfig.getMetricsPort();
        if (port <= 0) {
            LOG.info("metricsPort=0: no metrics and health endpoints");
            return;
        }
        try {
            metricsServer = MetricsServer.start("broker", brokerConfig.getMetricsBindAddress(), port, metrics.registry(),
                    this::notReadyReason);
        } catch (java.io.IOException e) {
            LOG.error("cannot serve metrics and health on metricsPort {}: {}; the broker runs without them", port,
                    e.toString());
        }
    }

    /**
     * Null when ready to take traffic (/health/ready): the store recovered, registered with at least
     * one nameserver, and for a slave the HA connection to the master is up. Else why not.
     */
    public String notReadyReason() {
        if (shutdown) {
            return "shutting down";
        }
        if (!storeRecovered) {
            return "store recovering";
        }
        String storeProblem = store.health().notReadyReason();
        if (storeProblem != null) {
            return storeProblem;
        }
        if (registeredNameServers == 0) {
            return registrar.configuredNameServers().isEmpty() ? "no nameserver configured (namesrvAddr)"
                    : "not registered with any nameserver";
        }
        if (isSlave()) {
            HaClient ha = haClient;
            if (ha != null && ha.refusal() != null) {
                return "refusing to follow the master (this slave keeps its data): " + ha.refusal();
            }
            if (ha == null || !ha.isConnected()) {
                return "no HA connection to the master";
            }
        }
        return null;
    }

    /**
     * Admits a send unless the broker is shutting down; the caller must call
     * {@link InFlightRequests#exit()} on {@link #inFlightSends()} once it answered.
     */
    public InFlightRequests inFlightSends() {
        return inFlightSends;
    }

    public BrokerMetrics metrics() {
        return metrics;
    }

    /** The bound metrics port, or -1 when it is off. */
    public int metricsPort() {
        MetricsServer m = metricsServer;
        return m == null ? -1 : m.port();
    }

    private ExecutorService pool(String name, int threads, int capacity) {
        io.rocketcluster.broker.util.RequestExecutor e =
                new io.rocketcluster.broker.util.RequestExecutor(threads, capacity, daemon("broker-" + name));
        executors.add(e);
        requestExecutors.put(name, e);
        return e;
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public BrokerConfig brokerConfig() {
        return brokerConfig;
    }

    public MessageStoreConfig storeConfig() {
        return storeConfig;
    }

    public NettyServerConfig serverConfig() {
        return serverConfig;
    }

    /** The request pool {@code name} (send, pull, query, end-transaction, admin...), null when unknown. */
    public io.rocketcluster.broker.util.RequestExecutor requestExecutor(String name) {
        return requestExecutors.get(name);
    }

    /**
     * Registers with every nameserver now and waits (a few seconds at most) for the answers, so that an
     * admin change is visible in routes when its request is answered.
     */
    public void registerWithNameServersAndWait() {
        try {
            registrar.registerAll().get(3, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.warn("registration after an admin change is not confirmed by every nameserver: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public MessageStore store() {
        return store;
    }

    public TopicConfigManager topics() {
        return topics;
    }

    public ConsumerOffsetManager offsets() {
        return offsets;
    }

    public SubscriptionGroupManager groups() {
        return groups;
    }

    public ConsumerManager consumers() {
        return consumers;
    }

    public ProducerManager producers() {
        return producers;
    }

    public RebalanceLockManager locks() {
        return locks;
    }

    public BrokerStats stats() {
        return stats;
    }

    public PullRequestHoldService holdService() {
        return holdService;
    }

    public InetSocketAddress storeHost() {
        return storeHost;
    }

    public RemotingEndpoint endpoint() {
        return server;
    }
}
