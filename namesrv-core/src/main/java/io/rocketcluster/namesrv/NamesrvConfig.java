package io.rocketcluster.namesrv;


/**
 * Name server settings (docs/configuration.md §3). Key names and meanings are RocketMQ's; the data paths
 * default under {@code ~/rocketcluster/namesrv} instead of {@code ~/namesrv}. The two liveness
 * intervals are ours (5.x has {@code scanNotActiveBrokerInterval} too) so tests can shorten them.
 *
 * <p>Fields are volatile: UPDATE_NAMESRV_CONFIG changes them while request threads read them.
 */
public class NamesrvConfig {
    private volatile int listenPort = 9876;
    /** /metrics and /health/*; -1 = listenPort+1000, 0 = off */
    private volatile int metricsPort = -1;
    /** second port whose answers carry brokers' external addresses; -1 = off, 0 = any free port */
    private volatile int externalListenPort = -1;
    private volatile String rocketmqHome = defaultRocketmqHome();
    private volatile String kvConfigPath = dataPath("kvConfig.json");
    private volatile String configStorePath = dataPath("namesrv.properties");
    private volatile String productEnvName = "center";
    private volatile boolean clusterTest = false;
    private volatile boolean orderMessageEnable = false;
    private volatile long scanNotActiveBrokerInterval = 10_000;
    private volatile long brokerChannelExpiredTime = 120_000;
    private volatile String configBlackList = "configBlackList;configStorePath;kvConfigPath";
    private volatile int registerMaxBrokers = 1000;
    private volatile int registerMaxTopics = 200_000;
    private volatile int kvConfigMaxEntries = 10_000;
    /** RocketCluster's: broker registration and other route/KV writes need an admin account's signature */
    private volatile boolean registrationAuthEnable = false;
    /** RocketCluster's: the address /metrics and /health/* listen on (0.0.0.0 = every interface) */
    private volatile String metricsBindAddress = "0.0.0.0";

    private static String dataPath(String file) {
        return io.rocketcluster.remoting.config.HomeDir.resolve("namesrv", file).toString();
    }

    private static String defaultRocketmqHome() {
        String home = System.getProperty("rocketmq.home.dir", System.getenv("ROCKETMQ_HOME"));
        return home == null ? "" : home;
    }

    public int getListenPort() {
        return listenPort;
    }

    public void setListenPort(int listenPort) {
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("a port is 0..65535");
        }
        this.listenPort = listenPort;
    }

    /**
     * HTTP port of /metrics, /health/live and /health/ready (RocketCluster's key): unset (-1) means
     * listenPort+1000 (off when listenPort is 0, an ephemeral test port); 0 disables it.
     */
    public int getMetricsPort() {
        if (metricsPort >= 0) {
            return metricsPort;
        }
        return listenPort == 0 || listenPort + 1000 > 65535 ? 0 : listenPort + 1000;
    }

    public void setMetricsPort(int metricsPort) {
        if (metricsPort < -1 || metricsPort > 65535) {
            throw new IllegalArgumentException("a port is 0..65535 (0 disables the metrics port)");
        }
        this.metricsPort = metricsPort;
    }

    /**
     * RocketCluster's key: a second client port whose route and cluster answers carry each broker's
     * {@code brokerExternalAddr} (where it registered one) instead of {@code brokerIP1:listenPort}.
     * Publish this port to clients outside the brokers' network (docker compose: the host). -1 (the
     * default) leaves it off; 0 binds any free port (tests).
     */
    public int getExternalListenPort() {
        return externalListenPort;
    }

    public void setExternalListenPort(int externalListenPort) {
        if (externalListenPort < -1 || externalListenPort > 65535) {
            throw new IllegalArgumentException("a port is 0..65535 (-1 turns the external port off)");
        }
        this.externalListenPort = externalListenPort;
    }

    public String getRocketmqHome() {
        return rocketmqHome;
    }

    public void setRocketmqHome(String rocketmqHome) {
        this.rocketmqHome = rocketmqHome;
    }

    public String getKvConfigPath() {
        return kvConfigPath;
    }

    public void setKvConfigPath(String kvConfigPath) {
        requireNonBlank(kvConfigPath);
        this.kvConfigPath = kvConfigPath;
    }

    public String getConfigStorePath() {
        return configStorePath;
    }

    public void setConfigStorePath(String configStorePath) {
        requireNonBlank(configStorePath);
        this.configStorePath = configStorePath;
    }

    public String getProductEnvName() {
        return productEnvName;
    }

    public void setProductEnvName(String productEnvName) {
        this.productEnvName = productEnvName;
    }

    public boolean isClusterTest() {
        return clusterTest;
    }

    public void setClusterTest(boolean clusterTest) {
        this.clusterTest = clusterTest;
    }

    public boolean isOrderMessageEnable() {
        return orderMessageEnable;
    }

    public void setOrderMessageEnable(boolean orderMessageEnable) {
        this.orderMessageEnable = orderMessageEnable;
    }

    /** How often, in ms, brokers that stopped registering are looked for. */
    public long getScanNotActiveBrokerInterval() {
        return scanNotActiveBrokerInterval;
    }

    public void setScanNotActiveBrokerInterval(long scanNotActiveBrokerInterval) {
        requirePositive(scanNotActiveBrokerInterval);
        this.scanNotActiveBrokerInterval = scanNotActiveBrokerInterval;
    }

    /** A broker silent for longer than this, in ms, is removed and its connection closed. */
    public long getBrokerChannelExpiredTime() {
        return brokerChannelExpiredTime;
    }

    public void setBrokerChannelExpiredTime(long brokerChannelExpiredTime) {
        requirePositive(brokerChannelExpiredTime);
        this.brokerChannelExpiredTime = brokerChannelExpiredTime;
    }

    /** RocketCluster's: broker addresses routed at once; a registration of one more is refused. Read at start. */
    public int getRegisterMaxBrokers() {
        return registerMaxBrokers;
    }

    public void setRegisterMaxBrokers(int registerMaxBrokers) {
        requirePositive(registerMaxBrokers);
        this.registerMaxBrokers = registerMaxBrokers;
    }

    /** RocketCluster's: topics routed at once; a registration adding more is refused whole. Read at start. */
    public int getRegisterMaxTopics() {
        return registerMaxTopics;
    }

    public void setRegisterMaxTopics(int registerMaxTopics) {
        requirePositive(registerMaxTopics);
        this.registerMaxTopics = registerMaxTopics;
    }

    /** RocketCluster's: KV config entries in all namespaces; a PUT_KV_CONFIG of a new one beyond is refused. */
    public int getKvConfigMaxEntries() {
        return kvConfigMaxEntries;
    }

    public void setKvConfigMaxEntries(int kvConfigMaxEntries) {
        requirePositive(kvConfigMaxEntries);
        this.kvConfigMaxEntries = kvConfigMaxEntries;
    }

    /**
     * RocketCluster's (docs/acl.md §7): REGISTER/UNREGISTER_BROKER, KV writes, topic deletion, broker write
     * permission and UPDATE_NAMESRV_CONFIG need a signature of an admin account of plain_acl.yml. Off by
     * default, so that Apache RocketMQ brokers (which sign nothing to a nameserver) can register.
     */
    public boolean isRegistrationAuthEnable() {
        return registrationAuthEnable;
    }

    public void setRegistrationAuthEnable(boolean registrationAuthEnable) {
        this.registrationAuthEnable = registrationAuthEnable;
    }

    public String getMetricsBindAddress() {
        return metricsBindAddress;
    }

    public void setMetricsBindAddress(String metricsBindAddress) {
        this.metricsBindAddress = io.rocketcluster.remoting.config.BindAddress.check(metricsBindAddress);
    }

    /** {@code ;}-separated keys that UPDATE_NAMESRV_CONFIG may not change (RocketMQ 4.9.7). */
    public String getConfigBlackList() {
        return configBlackList;
    }

    public void setConfigBlackList(String configBlackList) {
        this.configBlackList = configBlackList;
    }

    private static void requirePositive(long v) {
        if (v <= 0) {
            throw new IllegalArgumentException("must be > 0");
        }
    }

    private static void requireNonBlank(String v) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
    }
}
