package io.rocketcluster.broker.config;

/**
 * Store settings: RocketMQ 4.9.7 key names and defaults (docs/configuration.md §2).
 */
public class MessageStoreConfig {
    /** root of the store; RocketMQ's default is ~/store, ours is under the RocketCluster home (~/rocketcluster) */
    private String storePathRootDir = io.rocketcluster.remoting.config.HomeDir.resolve("store").toString();
    /** defaults to &lt;root&gt;/commitlog */
    private String storePathCommitLog = null;

    private int mappedFileSizeCommitLog = 1024 * 1024 * 1024;

    private int mappedFileSizeConsumeQueue = 300000 * 20;

    private BrokerRole brokerRole = BrokerRole.ASYNC_MASTER;

    private FlushDiskType flushDiskType = FlushDiskType.ASYNC_FLUSH;

    private int flushIntervalCommitLog = 500;

    private int flushIntervalConsumeQueue = 1000;

    private int flushCommitLogLeastPages = 4;

    private int flushConsumeQueueLeastPages = 2;

    private int flushCommitLogThoroughInterval = 10000;

    private int flushConsumeQueueThoroughInterval = 60000;

    private int syncFlushTimeout = 5000;
    /** largest accepted body */
    private int maxMessageSize = 1024 * 1024 * 4;
    private int flushDelayOffsetInterval = 10000;

    private String deleteWhen = "04";
    /** hours */
    private int fileReservedTime = 72;
    /** percent */
    private int diskMaxUsedSpaceRatio = 75;

    private boolean checkCRCOnRecover = true;

    private int maxTransferBytesOnMessageInMemory = 1024 * 256;

    private int maxTransferCountOnMessageInMemory = 32;

    private int maxTransferBytesOnMessageInDisk = 1024 * 64;

    private int maxTransferCountOnMessageInDisk = 8;

    private int accessMessageInMemoryMaxRatio = 40;

    private String messageDelayLevel = "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h";

    private boolean messageIndexEnable = true;

    private int maxHashSlotNum = 5000000;

    private int maxIndexNum = 5000000 * 4;

    private int defaultQueryMaxNum = 32;
    /** RocketCluster: index entries one QUERY_MESSAGE walks at most (hash chains made long on purpose) */
    private int indexQueryMaxChainSteps = 100000;
    /** put lock type; no wire effect */
    private boolean useReentrantLockWhenPutMessage = true;

    private int cleanResourceInterval = 10000;
    /** accepted for RocketMQ's files; RocketCluster unmaps a deleted file only once its readers are done */
    private int destroyMapedFileIntervalForcibly = 120000;
    /**
     * RocketCluster's own: start even though recovery found corruption below the flushed offset, after
     * saving the bytes from there on to {@code <store>/corrupt/} and truncating (README "Salvaging a
     * corrupted store"). Off: such a store does not start.
     */
    private boolean truncateCorruptCommitLog = false;

    private boolean cleanFileForciblyEnable = true;

    private String haMasterAddress = null;
    /** always listenPort+1, as in RocketMQ 4.x */
    private int haListenPort = 10912;

    private int haSendHeartbeatInterval = 5000;

    private int haHousekeepingInterval = 20000;

    private int haTransferBatchSize = 32768;

    private int haSlaveFallbehindMax = 268435456;

    private long slaveTimeout = 3000L;

    public String getStorePathRootDir() { return storePathRootDir; }
    public void setStorePathRootDir(String v) { this.storePathRootDir = v; }
    public String getStorePathCommitLog() { return storePathCommitLog; }
    public void setStorePathCommitLog(String v) { this.storePathCommitLog = v; }
    public int getMappedFileSizeCommitLog() { return mappedFileSizeCommitLog; }
    public void setMappedFileSizeCommitLog(int v) { this.mappedFileSizeCommitLog = v; }
    public int getMappedFileSizeConsumeQueue() { return mappedFileSizeConsumeQueue; }
    public void setMappedFileSizeConsumeQueue(int v) { this.mappedFileSizeConsumeQueue = v; }
    public BrokerRole getBrokerRole() { return brokerRole; }
    public void setBrokerRole(BrokerRole v) { this.brokerRole = v; }
    public FlushDiskType getFlushDiskType() { return flushDiskType; }
    public void setFlushDiskType(FlushDiskType v) { this.flushDiskType = v; }
    public int getFlushIntervalCommitLog() { return flushIntervalCommitLog; }
    public void setFlushIntervalCommitLog(int v) { this.flushIntervalCommitLog = v; }
    public int getFlushIntervalConsumeQueue() { return flushIntervalConsumeQueue; }
    public void setFlushIntervalConsumeQueue(int v) { this.flushIntervalConsumeQueue = v; }
    public int getFlushCommitLogLeastPages() { return flushCommitLogLeastPages; }
    public void setFlushCommitLogLeastPages(int v) { this.flushCommitLogLeastPages = v; }
    public int getFlushConsumeQueueLeastPages() { return flushConsumeQueueLeastPages; }
    public void setFlushConsumeQueueLeastPages(int v) { this.flushConsumeQueueLeastPages = v; }
    public int getFlushCommitLogThoroughInterval() { return flushCommitLogThoroughInterval; }
    public void setFlushCommitLogThoroughInterval(int v) { this.flushCommitLogThoroughInterval = v; }
    public int getFlushConsumeQueueThoroughInterval() { return flushConsumeQueueThoroughInterval; }
    public void setFlushConsumeQueueThoroughInterval(int v) { this.flushConsumeQueueThoroughInterval = v; }
    public int getSyncFlushTimeout() { return syncFlushTimeout; }
    public void setSyncFlushTimeout(int v) { this.syncFlushTimeout = v; }
    public int getFlushDelayOffsetInterval() { return flushDelayOffsetInterval; }
    public void setFlushDelayOffsetInterval(int v) { this.flushDelayOffsetInterval = v; }
    public int getMaxMessageSize() { return maxMessageSize; }
    public void setMaxMessageSize(int v) { this.maxMessageSize = v; }
    public String getDeleteWhen() { return deleteWhen; }
    public void setDeleteWhen(String v) { this.deleteWhen = v; }
    public int getFileReservedTime() { return fileReservedTime; }
    public void setFileReservedTime(int v) { this.fileReservedTime = v; }
    public int getDiskMaxUsedSpaceRatio() { return diskMaxUsedSpaceRatio; }
    public void setDiskMaxUsedSpaceRatio(int v) { this.diskMaxUsedSpaceRatio = v; }
    public boolean isCheckCRCOnRecover() { return checkCRCOnRecover; }
    public void setCheckCRCOnRecover(boolean v) { this.checkCRCOnRecover = v; }
    public int getMaxTransferBytesOnMessageInMemory() { return maxTransferBytesOnMessageInMemory; }
    public void setMaxTransferBytesOnMessageInMemory(int v) { this.maxTransferBytesOnMessageInMemory = v; }
    public int getMaxTransferCountOnMessageInMemory() { return maxTransferCountOnMessageInMemory; }
    public void setMaxTransferCountOnMessageInMemory(int v) { this.maxTransferCountOnMessageInMemory = v; }
    public int getMaxTransferBytesOnMessageInDisk() { return maxTransferBytesOnMessageInDisk; }
    public void setMaxTransferBytesOnMessageInDisk(int v) { this.maxTransferBytesOnMessageInDisk = v; }
    public int getMaxTransferCountOnMessageInDisk() { return maxTransferCountOnMessageInDisk; }
    public void setMaxTransferCountOnMessageInDisk(int v) { this.maxTransferCountOnMessageInDisk = v; }
    public int getAccessMessageInMemoryMaxRatio() { return accessMessageInMemoryMaxRatio; }
    public void setAccessMessageInMemoryMaxRatio(int v) { this.accessMessageInMemoryMaxRatio = v; }
    public String getMessageDelayLevel() { return messageDelayLevel; }
    public void setMessageDelayLevel(String v) { this.messageDelayLevel = v; }
    public boolean isMessageIndexEnable() { return messageIndexEnable; }
    public void setMessageIndexEnable(boolean v) { this.messageIndexEnable = v; }
    public int getMaxHashSlotNum() { return maxHashSlotNum; }
    public void setMaxHashSlotNum(int v) { this.maxHashSlotNum = v; }
    public int getMaxIndexNum() { return maxIndexNum; }
    public void setMaxIndexNum(int v) { this.maxIndexNum = v; }
    public int getDefaultQueryMaxNum() { return defaultQueryMaxNum; }
    public int getIndexQueryMaxChainSteps() { return indexQueryMaxChainSteps; }
    public void setIndexQueryMaxChainSteps(int v) { this.indexQueryMaxChainSteps = v; }
    public void setDefaultQueryMaxNum(int v) { this.defaultQueryMaxNum = v; }
    public boolean isUseReentrantLockWhenPutMessage() { return useReentrantLockWhenPutMessage; }
    public void setUseReentrantLockWhenPutMessage(boolean v) { this.useReentrantLockWhenPutMessage = v; }
    public int getDestroyMapedFileIntervalForcibly() { return destroyMapedFileIntervalForcibly; }
    public void setDestroyMapedFileIntervalForcibly(int v) { this.destroyMapedFileIntervalForcibly = v; }
    public boolean isTruncateCorruptCommitLog() { return truncateCorruptCommitLog; }
    public void setTruncateCorruptCommitLog(boolean v) { this.truncateCorruptCommitLog = v; }
    public int getCleanResourceInterval() { return cleanResourceInterval; }
    public void setCleanResourceInterval(int v) { this.cleanResourceInterval = v; }
    public boolean isCleanFileForciblyEnable() { return cleanFileForciblyEnable; }
    public void setCleanFileForciblyEnable(boolean v) { this.cleanFileForciblyEnable = v; }
    public String getHaMasterAddress() { return haMasterAddress; }
    public void setHaMasterAddress(String v) { this.haMasterAddress = v; }
    public int getHaListenPort() { return haListenPort; }
    public void setHaListenPort(int v) { this.haListenPort = v; }
    public int getHaSendHeartbeatInterval() { return haSendHeartbeatInterval; }
    public void setHaSendHeartbeatInterval(int v) { this.haSendHeartbeatInterval = v; }
    public int getHaHousekeepingInterval() { return haHousekeepingInterval; }
    public void setHaHousekeepingInterval(int v) { this.haHousekeepingInterval = v; }
    public int getHaTransferBatchSize() { return haTransferBatchSize; }
    public void setHaTransferBatchSize(int v) { this.haTransferBatchSize = v; }
    public int getHaSlaveFallbehindMax() { return haSlaveFallbehindMax; }
    public void setHaSlaveFallbehindMax(int v) { this.haSlaveFallbehindMax = v; }
    public long getSlaveTimeout() { return slaveTimeout; }
    public void setSlaveTimeout(long v) { this.slaveTimeout = v; }

    public String commitLogDir() {
        return storePathCommitLog != null && !storePathCommitLog.isBlank() ? storePathCommitLog
                : storePathRootDir + "/commitlog";
    }

}
