package io.rocketcluster.broker.config;

/**
 * Broker identity, network and behaviour settings: RocketMQ 4.9.7 key names and defaults.
 * Store settings live in {@link MessageStoreConfig}; both are bound from the same broker.conf.
 */
public class BrokerConfig {
    /** nameserver list, {@code host:port;host:port} */
    private String namesrvAddr = System.getProperty("rocketmq.namesrv.addr", System.getenv("NAMESRV_ADDR"));
    /** advertised address of the broker (store host of message ids) */
    private String brokerIP1 = NetworkAddresses.localAddress();
    /** advertised address of the HA port */
    private String brokerIP2 = NetworkAddresses.localAddress();
    /** RocketCluster: host:port for clients outside the broker's network (empty = none) */
    private String brokerExternalAddr = "";

    private String brokerClusterName = "DefaultCluster";

    private String brokerName = NetworkAddresses.localHostName();
    /** 0 = master */
    private long brokerId = 0L;
    /** client port; the fast channel is listenPort-2, HA listenPort+1 */
    private int listenPort = 10911;
    /** /metrics and /health/*; -1 = listenPort+4, 0 = off */
    private int metricsPort = -1;
    /** the address /metrics and /health/* listen on; 0.0.0.0 = every interface */
    private String metricsBindAddress = "0.0.0.0";

    private int brokerPermission = 6;

    private boolean autoCreateTopicEnable = true;

    private boolean autoCreateSubscriptionGroup = true;
    /** queues of TBW102 */
    private int defaultTopicQueueNums = 8;

    private boolean clusterTopicEnable = true;

    private boolean brokerTopicEnable = true;

    private boolean traceTopicEnable = false;

    private String msgTraceTopicName = "RMQ_SYS_TRACE_TOPIC";

    private String regionId = "DefaultRegion";

    private boolean traceOn = true;

    private int sendMessageThreadPoolNums = Math.min(Runtime.getRuntime().availableProcessors(), 4);

    private int pullMessageThreadPoolNums = 16 + 2 * Runtime.getRuntime().availableProcessors();

    private int queryMessageThreadPoolNums = 8 + Runtime.getRuntime().availableProcessors();

    private int adminBrokerThreadPoolNums = 16;

    private int clientManageThreadPoolNums = 32;

    private int consumerManageThreadPoolNums = 32;

    private int heartbeatThreadPoolNums = Math.min(32, Runtime.getRuntime().availableProcessors());

    private int sendThreadPoolQueueCapacity = 10000;

    private int pullThreadPoolQueueCapacity = 100000;

    private int registerBrokerTimeoutMills = 6000;
    /** clamped to 10000..60000 */
    private int registerNameServerPeriod = 30000;

    private boolean forceRegister = true;

    private boolean longPollingEnable = true;

    private long shortPollingTimeMills = 1000L;

    private boolean notifyConsumerIdsChangedEnable = true;

    private boolean slaveReadEnable = false;

    private boolean offsetCheckInSlave = false;

    private int flushConsumerOffsetInterval = 5000;
    /** a client silent this long is dropped (ms) */
    private long channelExpiredTimeout = 120000L;

    private boolean rejectTransactionMessage = false;
    /** A half message older than this (ms) without commit/rollback is checked with its producer. */
    private long transactionTimeOut = 6000L;
    /** After this many checks an unresolved half message is discarded to TRANS_CHECK_MAX_TIME_TOPIC. */
    private int transactionCheckMax = 15;
    /** How often (ms) unresolved half messages are looked for. */
    private long transactionCheckInterval = 60000L;

    private boolean enablePropertyFilter = false;
    /** RocketCluster: longest SQL92 filter expression accepted, in characters */
    private int sqlFilterMaxLength = 16384;
    /** RocketCluster: deepest nesting of an SQL92 filter expression accepted */
    private int sqlFilterMaxDepth = 256;
    /** RocketCluster: bytes of compiled SQL92 filters remembered per processor (2 x length + 256 each) */
    private long sqlFilterCacheMaxBytes = 4L * 1024 * 1024;
    /** RocketCluster: distinct topics (and groups) that get their own metric series; the rest count as _other */
    private int metricsMaxLabelValues = 1000;

    private boolean transferMsgByHeap = true;

    /** a send that waited longer than this in the send queue is answered SYSTEM_BUSY instead of run */
    private long waitTimeMillsInSendQueue = 200L;
    /** the same for pulls */
    private long waitTimeMillsInPullQueue = 5000L;
    /** RocketCluster: pulls held (long polling) by the whole broker; more are answered SYSTEM_BUSY */
    private int pullHoldMaxRequests = 20000;
    /** RocketCluster: pulls held for one connection; more are answered SYSTEM_BUSY */
    private int pullHoldMaxRequestsPerConnection = 2000;
    /** RocketCluster: the longest a pull is held, whatever suspend time the client asked for */
    private long pullHoldMaxSuspendMillis = 60000L;
    /** RocketCluster: topics auto-creation stops at (topics created by admin requests are not limited) */
    private int autoCreateTopicMaxCount = 10000;
    /** RocketCluster: topics auto-created per minute at most */
    private int autoCreateTopicMaxPerMinute = 600;
    /** RocketCluster: subscription groups auto-creation stops at */
    private int autoCreateSubscriptionGroupMaxCount = 10000;
    /** RocketCluster: consumer plus producer groups one heartbeat may name */
    private int heartbeatMaxGroups = 1000;
    /** RocketCluster: subscription groups auto-created per minute at most */
    private int autoCreateSubscriptionGroupMaxPerMinute = 600;

    private boolean brokerFastFailureEnable = true;
    /** plain ACL (docs/acl.md): every request must be signed by an account of plain_acl.yml */
    private boolean aclEnable = false;
    /**
     * RocketCluster: this broker's own ACL keys, signing its requests to nameservers and (a slave) to its
     * master, and a slave's replication handshake; an admin account of the master's plain_acl.yml
     */
    private String brokerAccessKey = "";
    private String brokerSecretKey = "";
    /** RocketMQ's key for the broker's outgoing connections: true is tls.enable=true (docs/tls.md §4) */
    private boolean useTLS = false;

    private String rocketmqHome = System.getProperty("rocketmq.home.dir", System.getenv("ROCKETMQ_HOME"));
    /** file the config was loaded from */
    private String brokerConfigPath = null;

    public String getNamesrvAddr() { return namesrvAddr; }
    public void setNamesrvAddr(String v) { this.namesrvAddr = v; }
    public String getBrokerIP1() { return brokerIP1; }
    public void setBrokerIP1(String v) { this.brokerIP1 = v; }
    public String getBrokerIP2() { return brokerIP2; }
    public void setBrokerIP2(String v) { this.brokerIP2 = v; }

    /**
     * RocketCluster's key: the {@code host:port} clients outside the broker's network reach it at
     * (e.g. {@code 127.0.0.1:10911} when a container publishes its port on the host). Sent with
     * REGISTER_BROKER; RocketCluster nameservers hand it out on their {@code externalListenPort},
     * Apache nameservers ignore it. The port 2 below it must reach the fast channel. Empty: none.
     */
    public String getBrokerExternalAddr() { return brokerExternalAddr; }
    public void setBrokerExternalAddr(String v) {
        String t = v == null ? "" : v.trim();
        int colon = t.lastIndexOf(':');
        if (!t.isEmpty()) {
            int port;
            try {
                port = colon <= 0 ? -1 : Integer.parseInt(t.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 3 || port > 65535) {
                throw new IllegalArgumentException("expected host:port, e.g. 127.0.0.1:10911");
            }
        }
        this.brokerExternalAddr = t;
    }
    public String getBrokerClusterName() { return brokerClusterName; }
    public void setBrokerClusterName(String v) { this.brokerClusterName = v; }
    public String getBrokerName() { return brokerName; }
    public void setBrokerName(String v) { this.brokerName = v; }
    public long getBrokerId() { return brokerId; }
    public void setBrokerId(long v) { this.brokerId = v; }
    public int getListenPort() { return listenPort; }
    public void setListenPort(int v) { this.listenPort = v; }

    /**
     * HTTP port of /metrics, /health/live and /health/ready (RocketCluster's key): unset (-1) means
     * listenPort+4, so a master on 10911 and a slave on 11911 do not collide; 0 disables it.
     */
    public int getMetricsPort() {
        if (metricsPort >= 0) {
            return metricsPort;
        }
        return listenPort + 4 <= 65535 ? listenPort + 4 : 0;
    }
    public void setMetricsPort(int v) {
        if (v < -1 || v > 65535) {
            throw new IllegalArgumentException("a port is 0..65535 (0 disables the metrics port)");
        }
        this.metricsPort = v;
    }
    /** RocketCluster's key: the address the metrics and health port listens on (say 127.0.0.1 to keep it local). */
    public String getMetricsBindAddress() { return metricsBindAddress; }
    public void setMetricsBindAddress(String v) { this.metricsBindAddress = io.rocketcluster.remoting.config.BindAddress.check(v); }
    public int getBrokerPermission() { return brokerPermission; }
    public void setBrokerPermission(int v) { this.brokerPermission = v; }
    public boolean isAutoCreateTopicEnable() { return autoCreateTopicEnable; }
    public void setAutoCreateTopicEnable(boolean v) { this.autoCreateTopicEnable = v; }
    public boolean isAutoCreateSubscriptionGroup() { return autoCreateSubscriptionGroup; }
    public void setAutoCreateSubscriptionGroup(boolean v) { this.autoCreateSubscriptionGroup = v; }
    public int getDefaultTopicQueueNums() { return defaultTopicQueueNums; }
    public void setDefaultTopicQueueNums(int v) { this.defaultTopicQueueNums = v; }
    public boolean isClusterTopicEnable() { return clusterTopicEnable; }
    public void setClusterTopicEnable(boolean v) { this.clusterTopicEnable = v; }
    public boolean isBrokerTopicEnable() { return brokerTopicEnable; }
    public void setBrokerTopicEnable(boolean v) { this.brokerTopicEnable = v; }
    public boolean isTraceTopicEnable() { return traceTopicEnable; }
    public void setTraceTopicEnable(boolean v) { this.traceTopicEnable = v; }
    public String getMsgTraceTopicName() { return msgTraceTopicName; }
    public void setMsgTraceTopicName(String v) { this.msgTraceTopicName = v; }
    public String getRegionId() { return regionId; }
    public void setRegionId(String v) { this.regionId = v; }
    public boolean isTraceOn() { return traceOn; }
    public void setTraceOn(boolean v) { this.traceOn = v; }
    public int getSendMessageThreadPoolNums() { return sendMessageThreadPoolNums; }
    public void setSendMessageThreadPoolNums(int v) { this.sendMessageThreadPoolNums = v; }
    public int getPullMessageThreadPoolNums() { return pullMessageThreadPoolNums; }
    public void setPullMessageThreadPoolNums(int v) { this.pullMessageThreadPoolNums = v; }
    public int getQueryMessageThreadPoolNums() { return queryMessageThreadPoolNums; }
    public void setQueryMessageThreadPoolNums(int v) { this.queryMessageThreadPoolNums = v; }
    public int getAdminBrokerThreadPoolNums() { return adminBrokerThreadPoolNums; }
    public void setAdminBrokerThreadPoolNums(int v) { this.adminBrokerThreadPoolNums = v; }
    public int getClientManageThreadPoolNums() { return clientManageThreadPoolNums; }
    public void setClientManageThreadPoolNums(int v) { this.clientManageThreadPoolNums = v; }
    public int getConsumerManageThreadPoolNums() { return consumerManageThreadPoolNums; }
    public void setConsumerManageThreadPoolNums(int v) { this.consumerManageThreadPoolNums = v; }
    public int getHeartbeatThreadPoolNums() { return heartbeatThreadPoolNums; }
    public void setHeartbeatThreadPoolNums(int v) { this.heartbeatThreadPoolNums = v; }
    public int getSendThreadPoolQueueCapacity() { return sendThreadPoolQueueCapacity; }
    public void setSendThreadPoolQueueCapacity(int v) { this.sendThreadPoolQueueCapacity = v; }
    public int getPullThreadPoolQueueCapacity() { return pullThreadPoolQueueCapacity; }
    public void setPullThreadPoolQueueCapacity(int v) { this.pullThreadPoolQueueCapacity = v; }
    public int getRegisterBrokerTimeoutMills() { return registerBrokerTimeoutMills; }
    public void setRegisterBrokerTimeoutMills(int v) { this.registerBrokerTimeoutMills = v; }
    public int getRegisterNameServerPeriod() { return registerNameServerPeriod; }
    public void setRegisterNameServerPeriod(int v) { this.registerNameServerPeriod = v; }
    public boolean isForceRegister() { return forceRegister; }
    public void setForceRegister(boolean v) { this.forceRegister = v; }
    public boolean isLongPollingEnable() { return longPollingEnable; }
    public void setLongPollingEnable(boolean v) { this.longPollingEnable = v; }
    public long getShortPollingTimeMills() { return shortPollingTimeMills; }
    public void setShortPollingTimeMills(long v) { this.shortPollingTimeMills = v; }
    public boolean isNotifyConsumerIdsChangedEnable() { return notifyConsumerIdsChangedEnable; }
    public void setNotifyConsumerIdsChangedEnable(boolean v) { this.notifyConsumerIdsChangedEnable = v; }
    public boolean isSlaveReadEnable() { return slaveReadEnable; }
    public void setSlaveReadEnable(boolean v) { this.slaveReadEnable = v; }
    public boolean isOffsetCheckInSlave() { return offsetCheckInSlave; }
    public void setOffsetCheckInSlave(boolean v) { this.offsetCheckInSlave = v; }
    public int getFlushConsumerOffsetInterval() { return flushConsumerOffsetInterval; }
    public void setFlushConsumerOffsetInterval(int v) { this.flushConsumerOffsetInterval = v; }
    public long getChannelExpiredTimeout() { return channelExpiredTimeout; }
    public void setChannelExpiredTimeout(long v) { this.channelExpiredTimeout = v; }
    public long getTransactionTimeOut() { return transactionTimeOut; }
    public void setTransactionTimeOut(long v) { this.transactionTimeOut = v; }
    public int getTransactionCheckMax() { return transactionCheckMax; }
    public void setTransactionCheckMax(int v) { this.transactionCheckMax = v; }
    public long getTransactionCheckInterval() { return transactionCheckInterval; }
    public void setTransactionCheckInterval(long v) { this.transactionCheckInterval = v; }
    public boolean isRejectTransactionMessage() { return rejectTransactionMessage; }
    public void setRejectTransactionMessage(boolean v) { this.rejectTransactionMessage = v; }
    public boolean isEnablePropertyFilter() { return enablePropertyFilter; }
    public void setEnablePropertyFilter(boolean v) { this.enablePropertyFilter = v; }

    /**
     * RocketCluster's key: an SQL92 filter expression longer than this many characters is refused
     * (SUBSCRIPTION_PARSE_FAILED) before it is tokenized. Read when the broker starts.
     */
    public int getSqlFilterMaxLength() { return sqlFilterMaxLength; }
    public void setSqlFilterMaxLength(int v) {
        if (v < 1) {
            throw new IllegalArgumentException("sqlFilterMaxLength must be positive");
        }
        this.sqlFilterMaxLength = v;
    }

    /**
     * RocketCluster's key: an SQL92 filter expression nesting deeper than this many levels
     * (parentheses, NOT, operators, AND/OR chains) is refused (SUBSCRIPTION_PARSE_FAILED) while it is
     * parsed. Read when the broker starts.
     */
    public int getSqlFilterMaxDepth() { return sqlFilterMaxDepth; }
    public void setSqlFilterMaxDepth(int v) {
        if (v < 1) {
            throw new IllegalArgumentException("sqlFilterMaxDepth must be positive");
        }
        this.sqlFilterMaxDepth = v;
    }

    /**
     * RocketCluster's key: bytes of compiled SQL92 filters each of the pull and client-management
     * processors remembers, an entry counting twice its expression's length plus 256; least recently
     * used first out; 0 remembers nothing. Read when the broker starts.
     */
    public int getMetricsMaxLabelValues() { return metricsMaxLabelValues; }
    public void setMetricsMaxLabelValues(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("metricsMaxLabelValues must not be negative");
        }
        this.metricsMaxLabelValues = v;
    }
    public long getSqlFilterCacheMaxBytes() { return sqlFilterCacheMaxBytes; }
    public void setSqlFilterCacheMaxBytes(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("sqlFilterCacheMaxBytes must not be negative");
        }
        this.sqlFilterCacheMaxBytes = v;
    }
    public boolean isTransferMsgByHeap() { return transferMsgByHeap; }
    public void setTransferMsgByHeap(boolean v) { this.transferMsgByHeap = v; }
    public long getWaitTimeMillsInSendQueue() { return waitTimeMillsInSendQueue; }
    public void setWaitTimeMillsInSendQueue(long v) { this.waitTimeMillsInSendQueue = v; }
    public long getWaitTimeMillsInPullQueue() { return waitTimeMillsInPullQueue; }
    public void setWaitTimeMillsInPullQueue(long v) { this.waitTimeMillsInPullQueue = v; }
    public int getPullHoldMaxRequests() { return pullHoldMaxRequests; }
    public void setPullHoldMaxRequests(int v) { this.pullHoldMaxRequests = v; }
    public int getPullHoldMaxRequestsPerConnection() { return pullHoldMaxRequestsPerConnection; }
    public void setPullHoldMaxRequestsPerConnection(int v) { this.pullHoldMaxRequestsPerConnection = v; }
    public long getPullHoldMaxSuspendMillis() { return pullHoldMaxSuspendMillis; }
    public void setPullHoldMaxSuspendMillis(long v) { this.pullHoldMaxSuspendMillis = v; }
    public int getAutoCreateTopicMaxCount() { return autoCreateTopicMaxCount; }
    public void setAutoCreateTopicMaxCount(int v) { this.autoCreateTopicMaxCount = v; }
    public int getAutoCreateTopicMaxPerMinute() { return autoCreateTopicMaxPerMinute; }
    public void setAutoCreateTopicMaxPerMinute(int v) { this.autoCreateTopicMaxPerMinute = v; }
    public int getAutoCreateSubscriptionGroupMaxCount() { return autoCreateSubscriptionGroupMaxCount; }
    public void setAutoCreateSubscriptionGroupMaxCount(int v) { this.autoCreateSubscriptionGroupMaxCount = v; }
    public int getAutoCreateSubscriptionGroupMaxPerMinute() { return autoCreateSubscriptionGroupMaxPerMinute; }
    public void setAutoCreateSubscriptionGroupMaxPerMinute(int v) { this.autoCreateSubscriptionGroupMaxPerMinute = v; }
    public int getHeartbeatMaxGroups() { return heartbeatMaxGroups; }
    public void setHeartbeatMaxGroups(int v) { this.heartbeatMaxGroups = v; }
    public boolean isAclEnable() { return aclEnable; }
    public void setAclEnable(boolean v) { this.aclEnable = v; }
    public String getBrokerAccessKey() { return brokerAccessKey; }
    public void setBrokerAccessKey(String v) { this.brokerAccessKey = v; }
    public String getBrokerSecretKey() { return brokerSecretKey; }
    public void setBrokerSecretKey(String v) { this.brokerSecretKey = v; }
    public boolean isUseTLS() { return useTLS; }
    public void setUseTLS(boolean v) { this.useTLS = v; }
    public boolean isBrokerFastFailureEnable() { return brokerFastFailureEnable; }
    public void setBrokerFastFailureEnable(boolean v) { this.brokerFastFailureEnable = v; }
    public String getRocketmqHome() { return rocketmqHome; }
    public void setRocketmqHome(String v) { this.rocketmqHome = v; }
    public String getBrokerConfigPath() { return brokerConfigPath; }
    public void setBrokerConfigPath(String v) { this.brokerConfigPath = v; }

    /** The address clients and nameservers use: {@code brokerIP1:listenPort}. */
    public String brokerAddr() {
        return brokerIP1 + ":" + listenPort;
    }

    public boolean isMaster() {
        return brokerId == 0;
    }

}
