package io.rocketcluster.namesrv.route;

import io.netty.channel.Channel;
import io.rocketcluster.remoting.data.BrokerData;
import io.rocketcluster.remoting.data.ClusterInfo;
import io.rocketcluster.remoting.data.DataVersion;
import io.rocketcluster.remoting.data.Perm;
import io.rocketcluster.remoting.data.QueueData;
import io.rocketcluster.remoting.data.TopicConfig;
import io.rocketcluster.remoting.data.TopicConfigSerializeWrapper;
import io.rocketcluster.remoting.data.TopicList;
import io.rocketcluster.remoting.data.TopicRouteData;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * The name server's route tables and broker liveness (docs/remoting.md §4.2):
 * <pre>
 *   topicQueueTable    topic      → brokerName → QueueData   (set by masters' registrations)
 *   brokerAddrTable    brokerName → BrokerData {cluster, brokerId → addr}
 *   clusterAddrTable   cluster    → {brokerName}
 *   brokerLiveTable    brokerAddr → last update, data version, channel, HA address, external address
 *   filterServerTable  brokerAddr → filter server addresses
 * </pre>
 * A broker address leaves when it unregisters, its channel closes or it stays silent longer than
 * {@code brokerChannelExpiredMillis}; when a broker name has no address left its cluster membership
 * and queue data go too, and topics left without queue data disappear.
 *
 * <p>Two views of the same tables: the internal one answers with the addresses brokers registered
 * ({@code brokerIP1:listenPort}); the external one (the nameserver's {@code externalListenPort})
 * answers with each broker's {@code brokerExternalAddr} instead, where it sent one. So clients in the
 * brokers' network (a compose network, a Kubernetes cluster) and clients outside it (the host, through
 * published ports) both get addresses they can reach, like Kafka's per-listener advertised addresses.
 *
 * <p>Thread-safe: one read-write lock guards all tables; everything returned is a copy.
 */
public final class RouteInfoManager {
    private static final Logger LOG = LogManager.getLogger(RouteInfoManager.class);
    /** Broker id of a master. */
    public static final long MASTER_ID = 0L;
    /** topicSysFlag bits (docs/store-layout.md §11). */
    static final int FLAG_UNIT = 0x1;
    static final int FLAG_UNIT_SUB = 0x2;

    private final Clock clock;
    private final long brokerChannelExpiredMillis;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Map<String, QueueData>> topicQueueTable = new HashMap<>();
    private final Map<String, BrokerData> brokerAddrTable = new TreeMap<>();
    private final Map<String, Set<String>> clusterAddrTable = new TreeMap<>();
    private final Map<String, BrokerLiveInfo> brokerLiveTable = new HashMap<>();
    private final Map<String, List<String>> filterServerTable = new HashMap<>();

    private final int maxBrokers;
    private final int maxTopics;

    public RouteInfoManager(Clock clock, long brokerChannelExpiredMillis) {
        this(clock, brokerChannelExpiredMillis, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /**
     * @param maxBrokers {@code registerMaxBrokers}: broker addresses registered at once
     * @param maxTopics  {@code registerMaxTopics}: topics routed at once
     */
    public RouteInfoManager(Clock clock, long brokerChannelExpiredMillis, int maxBrokers, int maxTopics) {
        this.clock = clock;
        this.brokerChannelExpiredMillis = brokerChannelExpiredMillis;
        this.maxBrokers = maxBrokers;
        this.maxTopics = maxTopics;
    }

    // ------------------------------------------------------------------ registration

    /**
     * Handles a REGISTER_BROKER (docs/remoting.md §4.2 steps 1-6).
     *
     * @param topicConfigWrapper the broker's topics and their version; null (like an absent body) is
     *                           an empty table at version {0,0}
     * @param filterServerList   null leaves the stored list alone, empty removes it
     */
    public RegisterBrokerResult registerBroker(String clusterName, String brokerAddr, String brokerName,
                                               long brokerId, String haServerAddr,
                                               TopicConfigSerializeWrapper topicConfigWrapper,
                                               List<String> filterServerList, Channel channel) {
        return registerBroker(clusterName, brokerAddr, brokerName, brokerId, haServerAddr, null,
                topicConfigWrapper, filterServerList, channel);
    }

    /**
     * Handles a REGISTER_BROKER that may carry the broker's address for outside clients.
     *
     * @param externalAddr the broker's {@code brokerExternalAddr} ({@code host:port}), or null/blank for none
     */
    public RegisterBrokerResult registerBroker(String clusterName, String brokerAddr, String brokerName,
                                               long brokerId, String haServerAddr, String externalAddr,
                                               TopicConfigSerializeWrapper topicConfigWrapper,
                                               List<String> filterServerList, Channel channel) {
        String external = externalAddr == null || externalAddr.isBlank() ? null : externalAddr.trim();
        lock.writeLock().lock();
        try {
            checkLimits(brokerAddr, brokerId, topicConfigWrapper);
            clusterAddrTable.computeIfAbsent(clusterName, c -> new TreeSet<>()).add(brokerName);

            BrokerData brokerData = brokerAddrTable.get(brokerName);
            boolean registerFirst = brokerData == null;
            if (brokerData == null) {
                brokerData = new BrokerData(clusterName, brokerName);
                brokerAddrTable.put(brokerName, brokerData);
            }
            // a slave that became master (or the reverse) keeps its address under a new id
            brokerData.brokerAddrs.entrySet().removeIf(e -> e.getValue().equals(brokerAddr) && e.getKey() != brokerId);
            String oldAddr = brokerData.brokerAddrs.put(brokerId, brokerAddr);
            registerFirst |= oldAddr == null;

            DataVersion dataVersion = topicConfigWrapper == null || topicConfigWrapper.dataVersion == null
                    ? new DataVersion() : topicConfigWrapper.dataVersion.copy();
            if (brokerId == MASTER_ID && topicConfigWrapper != null && topicConfigWrapper.topicConfigTable != null
                    && (registerFirst || changed(brokerLiveTable.get(brokerAddr), dataVersion))) {
                for (Map.Entry<String, TopicConfig> e : topicConfigWrapper.topicConfigTable.entrySet()) {
                    updateQueueData(brokerName, e.getKey(), e.getValue());
                }
            }

            BrokerLiveInfo previous = brokerLiveTable.put(brokerAddr,
                    new BrokerLiveInfo(clock.millis(), dataVersion, channel, haServerAddr, external));
            if (previous == null) {
                LOG.info("new broker registered: {} {} {} id={} HA {}{}", clusterName, brokerName, brokerAddr,
                        brokerId, haServerAddr, external == null ? "" : " external " + external);
            } else if (!java.util.Objects.equals(previous.externalAddr, external)) {
                LOG.info("broker {} external address is now {}", brokerAddr, external);
            }

            if (filterServerList != null) {
                if (filterServerList.isEmpty()) {
                    filterServerTable.remove(brokerAddr);
                } else {
                    filterServerTable.put(brokerAddr, List.copyOf(filterServerList));
                }
            }

            if (brokerId != MASTER_ID) {
                String masterAddr = brokerData.brokerAddrs.get(MASTER_ID);
                BrokerLiveInfo master = masterAddr == null ? null : brokerLiveTable.get(masterAddr);
                if (master != null) {
                    return new RegisterBrokerResult(master.haServerAddr, masterAddr);
                }
            }
            return RegisterBrokerResult.NONE;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Refuses, before anything changes, a registration that would pass registerMaxBrokers or registerMaxTopics. */
    private void checkLimits(String brokerAddr, long brokerId, TopicConfigSerializeWrapper topics) {
        if (!brokerLiveTable.containsKey(brokerAddr) && brokerLiveTable.size() >= maxBrokers) {
            throw new io.rocketcluster.namesrv.LimitExceededException("the nameserver already routes "
                    + brokerLiveTable.size() + " brokers (registerMaxBrokers=" + maxBrokers + ")");
        }
        if (brokerId != MASTER_ID || topics == null || topics.topicConfigTable == null) {
            return;
        }
        long added = topics.topicConfigTable.keySet().stream().filter(t -> !topicQueueTable.containsKey(t)).count();
        if (added > 0 && topicQueueTable.size() + added > maxTopics) {
            throw new io.rocketcluster.namesrv.LimitExceededException("registering " + added
                    + " new topics would pass registerMaxTopics=" + maxTopics + " (routed: " + topicQueueTable.size() + ")");
        }
    }

    private void updateQueueData(String brokerName, String topic, TopicConfig config) {
        String name = config.topicName != null ? config.topicName : topic;
        QueueData fresh = new QueueData(brokerName, config);
        Map<String, QueueData> byBroker = topicQueueTable.computeIfAbsent(name, t -> new TreeMap<>());
        QueueData old = byBroker.put(brokerName, fresh);
        if (old == null) {
            LOG.info("new topic registered: {} on {}", name, brokerName);
        } else if (!old.sameAs(fresh)) {
            LOG.info("topic {} on {} changed: perm {} -> {}, queues r{}/w{} -> r{}/w{}", name, brokerName,
                    old.perm, fresh.perm, old.readQueueNums, old.writeQueueNums,
                    fresh.readQueueNums, fresh.writeQueueNums);
        }
    }

    private static boolean changed(BrokerLiveInfo live, DataVersion dataVersion) {
        return live == null || !live.dataVersion.equals(dataVersion);
    }

    /** Handles an UNREGISTER_BROKER: removes {@code brokerId} of {@code brokerName} and its liveness. */
    public void unregisterBroker(String clusterName, String brokerAddr, String brokerName, long brokerId) {
        lock.writeLock().lock();
        try {
            brokerLiveTable.remove(brokerAddr);
            filterServerTable.remove(brokerAddr);
            BrokerData brokerData = brokerAddrTable.get(brokerName);
            if (brokerData != null) {
                brokerData.brokerAddrs.remove(brokerId);
                if (brokerData.brokerAddrs.isEmpty()) {
                    removeBrokerName(brokerName);
                }
            }
            LOG.info("broker unregistered: {} {} {} id={}", clusterName, brokerName, brokerAddr, brokerId);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Whether the stored data version of {@code brokerAddr} is missing or differs (QUERY_DATA_VERSION). */
    public boolean isBrokerTopicConfigChanged(String brokerAddr, DataVersion dataVersion) {
        lock.readLock().lock();
        try {
            return changed(brokerLiveTable.get(brokerAddr), dataVersion);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The data version {@code brokerAddr} last registered, or null when it is not registered. */
    public DataVersion queryBrokerTopicConfig(String brokerAddr) {
        lock.readLock().lock();
        try {
            BrokerLiveInfo live = brokerLiveTable.get(brokerAddr);
            return live == null ? null : live.dataVersion.copy();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Counts as a heartbeat of {@code brokerAddr} if it is registered. */
    public void updateBrokerInfoUpdateTimestamp(String brokerAddr) {
        lock.writeLock().lock();
        try {
            BrokerLiveInfo live = brokerLiveTable.get(brokerAddr);
            if (live != null) {
                live.lastUpdateTimestamp = clock.millis();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ------------------------------------------------------------------ liveness

    /**
     * Removes every broker address silent for longer than the expiry time and closes its channel.
     * Returns how many were removed.
     */
    public int scanNotActiveBroker() {
        long now = clock.millis();
        List<Channel> toClose = new ArrayList<>();
        int removed = 0;
        lock.writeLock().lock();
        try {
            Iterator<Map.Entry<String, BrokerLiveInfo>> it = brokerLiveTable.entrySet().iterator();
            List<String> expired = new ArrayList<>();
            while (it.hasNext()) {
                Map.Entry<String, BrokerLiveInfo> e = it.next();
                long silentFor = now - e.getValue().lastUpdateTimestamp;
                if (silentFor > brokerChannelExpiredMillis) {
                    LOG.warn("broker {} expired: no registration for {} ms (limit {} ms)", e.getKey(), silentFor,
                            brokerChannelExpiredMillis);
                    it.remove();
                    expired.add(e.getKey());
                    if (e.getValue().channel != null) {
                        toClose.add(e.getValue().channel);
                    }
                }
            }
            for (String addr : expired) {
                removeBrokerAddr(addr);
                removed++;
            }
        } finally {
            lock.writeLock().unlock();
        }
        // closing fires onChannelDestroy, which then finds nothing left to remove
        toClose.forEach(Channel::close);
        return removed;
    }

    /** A connection closed: removes the broker address registered over it, if any. */
    public void onChannelDestroy(String remoteAddr, Channel channel) {
        String brokerAddr = null;
        lock.readLock().lock();
        try {
            for (Map.Entry<String, BrokerLiveInfo> e : brokerLiveTable.entrySet()) {
                if (e.getValue().channel == channel) {
                    brokerAddr = e.getKey();
                    break;
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        if (brokerAddr == null) {
            return;
        }
        lock.writeLock().lock();
        try {
            BrokerLiveInfo live = brokerLiveTable.get(brokerAddr);
            if (live != null && live.channel == channel) {
                LOG.info("connection {} of broker {} closed; removing the broker", remoteAddr, brokerAddr);
                brokerLiveTable.remove(brokerAddr);
                removeBrokerAddr(brokerAddr);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Drops {@code brokerAddr} from every broker name; caller holds the write lock. */
    private void removeBrokerAddr(String brokerAddr) {
        filterServerTable.remove(brokerAddr);
        List<String> emptied = new ArrayList<>();
        for (BrokerData bd : brokerAddrTable.values()) {
            if (bd.brokerAddrs.values().removeIf(brokerAddr::equals) && bd.brokerAddrs.isEmpty()) {
                emptied.add(bd.brokerName);
            }
        }
        emptied.forEach(this::removeBrokerName);
    }

    /** Drops a broker name with no address left: cluster membership and queue data; caller holds the write lock. */
    private void removeBrokerName(String brokerName) {
        BrokerData bd = brokerAddrTable.remove(brokerName);
        LOG.info("broker name {} has no address left; removing it", brokerName);
        clusterAddrTable.entrySet().removeIf(e -> {
            e.getValue().remove(brokerName);
            return e.getValue().isEmpty();
        });
        topicQueueTable.entrySet().removeIf(e -> {
            if (e.getValue().remove(brokerName) != null && e.getValue().isEmpty()) {
                LOG.info("topic {} has no queue data left; removing it", e.getKey());
                return true;
            }
            return false;
        });
        if (bd != null) {
            LOG.debug("removed broker data of {} in cluster {}", brokerName, bd.cluster);
        }
    }

    // ------------------------------------------------------------------ queries

    /**
     * The route of {@code topic}: found only when the topic has queue data and at least one of its
     * broker names has broker data (docs/remoting.md §4.3). {@code orderTopicConf} is left to the caller.
     */
    public Optional<TopicRouteData> topicRoute(String topic) {
        return topicRoute(topic, false);
    }

    /** The route of {@code topic}; with {@code external}, in the addresses for outside clients. */
    public Optional<TopicRouteData> topicRoute(String topic, boolean external) {
        lock.readLock().lock();
        try {
            Map<String, QueueData> byBroker = topicQueueTable.get(topic);
            if (byBroker == null || byBroker.isEmpty()) {
                return Optional.empty();
            }
            TopicRouteData route = new TopicRouteData();
            byBroker.values().forEach(q -> route.queueDatas.add(q.copy()));
            for (String brokerName : byBroker.keySet()) {
                BrokerData bd = brokerAddrTable.get(brokerName);
                if (bd == null) {
                    continue;
                }
                route.brokerDatas.add(view(bd, external));
                for (String addr : bd.brokerAddrs.values()) {
                    List<String> filterServers = filterServerTable.get(addr);
                    if (filterServers != null) {
                        route.filterServerTable.put(address(addr, external), new ArrayList<>(filterServers));
                    }
                }
            }
            return route.brokerDatas.isEmpty() ? Optional.empty() : Optional.of(route);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Broker groups by name and broker names by cluster (GET_BROKER_CLUSTER_INFO). */
    public ClusterInfo clusterInfo() {
        return clusterInfo(false);
    }

    /** Cluster info; with {@code external}, in the addresses for outside clients. */
    public ClusterInfo clusterInfo(boolean external) {
        lock.readLock().lock();
        try {
            ClusterInfo info = new ClusterInfo();
            brokerAddrTable.forEach((name, bd) -> info.brokerAddrTable.put(name, view(bd, external)));
            clusterAddrTable.forEach((cluster, names) -> info.clusterAddrTable.put(cluster, new TreeSet<>(names)));
            return info;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every topic with queue data. */
    public TopicList allTopicList() {
        lock.readLock().lock();
        try {
            return new TopicList(topicQueueTable.keySet());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Topics with queue data on any broker of {@code cluster}. */
    public TopicList topicsByCluster(String cluster) {
        lock.readLock().lock();
        try {
            TopicList list = new TopicList();
            Set<String> brokerNames = clusterAddrTable.getOrDefault(cluster, Set.of());
            topicQueueTable.forEach((topic, byBroker) -> {
                if (brokerNames.stream().anyMatch(byBroker::containsKey)) {
                    list.topicList.add(topic);
                }
            });
            return list;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** All cluster names and broker names, plus one broker address to ask for the rest (304). */
    public TopicList systemTopicList() {
        return systemTopicList(false);
    }

    /** As {@link #systemTopicList()}; with {@code external}, the broker address is the one for outside clients. */
    public TopicList systemTopicList(boolean external) {
        lock.readLock().lock();
        try {
            TopicList list = new TopicList();
            clusterAddrTable.forEach((cluster, names) -> {
                list.topicList.add(cluster);
                list.topicList.addAll(names);
            });
            for (BrokerData bd : brokerAddrTable.values()) {
                if (!bd.brokerAddrs.isEmpty()) {
                    list.brokerAddr = address(bd.brokerAddrs.firstEntry().getValue(), external);
                    break;
                }
            }
            return list;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A copy of {@code bd}, with external addresses when {@code external}; caller holds a lock. */
    private BrokerData view(BrokerData bd, boolean external) {
        BrokerData copy = bd.copy();
        if (external) {
            copy.brokerAddrs.replaceAll((id, addr) -> address(addr, true));
        }
        return copy;
    }

    /** The address outside clients use for {@code brokerAddr} (itself when it sent none); caller holds a lock. */
    private String address(String brokerAddr, boolean external) {
        if (!external) {
            return brokerAddr;
        }
        BrokerLiveInfo live = brokerLiveTable.get(brokerAddr);
        return live == null || live.externalAddr == null ? brokerAddr : live.externalAddr;
    }

    /** Topics whose sys flag has the UNIT bit (311). */
    public TopicList unitTopics() {
        return topicsWithFlag(f -> (f & FLAG_UNIT) != 0);
    }

    /** Topics whose sys flag has the UNIT_SUB bit (312). */
    public TopicList hasUnitSubTopics() {
        return topicsWithFlag(f -> (f & FLAG_UNIT_SUB) != 0);
    }

    /** Topics whose sys flag has UNIT_SUB but not UNIT (313). */
    public TopicList hasUnitSubUnUnitTopics() {
        return topicsWithFlag(f -> (f & FLAG_UNIT) == 0 && (f & FLAG_UNIT_SUB) != 0);
    }

    private TopicList topicsWithFlag(IntPredicate test) {
        lock.readLock().lock();
        try {
            TopicList list = new TopicList();
            topicQueueTable.forEach((topic, byBroker) -> {
                // RocketMQ looks at the first broker's queue data
                if (!byBroker.isEmpty() && test.test(byBroker.values().iterator().next().topicSysFlag)) {
                    list.topicList.add(topic);
                }
            });
            return list;
        } finally {
            lock.readLock().unlock();
        }
    }

    // ------------------------------------------------------------------ admin changes

    /** Clears the WRITE bit of every queue data of {@code brokerName}; returns the number of topics touched. */
    public int wipeWritePermOfBroker(String brokerName) {
        return changePermOfBroker(brokerName, perm -> perm & ~Perm.WRITE);
    }

    /** Sets READ|WRITE on every queue data of {@code brokerName}; returns the number of topics touched. */
    public int addWritePermOfBroker(String brokerName) {
        return changePermOfBroker(brokerName, perm -> Perm.READ | Perm.WRITE);
    }

    private int changePermOfBroker(String brokerName, IntUnaryOperator change) {
        lock.writeLock().lock();
        try {
            int count = 0;
            for (Map<String, QueueData> byBroker : topicQueueTable.values()) {
                QueueData q = byBroker.get(brokerName);
                if (q != null) {
                    q.perm = change.applyAsInt(q.perm);
                    count++;
                }
            }
            return count;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes {@code topic} entirely. */
    public void deleteTopic(String topic) {
        lock.writeLock().lock();
        try {
            topicQueueTable.remove(topic);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes the queue data of {@code topic} on the brokers of {@code clusterName}. */
    public void deleteTopic(String topic, String clusterName) {
        lock.writeLock().lock();
        try {
            Map<String, QueueData> byBroker = topicQueueTable.get(topic);
            Set<String> brokerNames = clusterAddrTable.get(clusterName);
            if (byBroker == null || brokerNames == null) {
                return;
            }
            brokerNames.forEach(byBroker::remove);
            if (byBroker.isEmpty()) {
                topicQueueTable.remove(topic);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
