package io.rocketcluster.broker.ha;

import io.rocketcluster.broker.client.SubscriptionGroupManager;
import io.rocketcluster.broker.offset.ConsumerOffsetManager;
import io.rocketcluster.broker.topic.TopicConfigManager;
import io.rocketcluster.broker.util.JsonConfigFile;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.SubscriptionGroupWrapper;
import io.rocketcluster.remoting.data.TopicConfigSerializeWrapper;
import io.rocketcluster.remoting.netty.NettyRemotingClient;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A slave's periodic pull of its master's metadata (docs/replication.md §4.2), in RocketMQ's order: topic
 * configs (from the master's fast port, listenPort-2), consumer offsets (merged in), delay offsets
 * (written verbatim), subscription groups. Tables are replaced only when the master's version differs.
 */
public final class SlaveSynchronizer {
    private static final Logger LOG = LogManager.getLogger(SlaveSynchronizer.class);
    private static final long TIMEOUT_MILLIS = 3000;

    private final NettyRemotingClient client;
    private final TopicConfigManager topics;
    private final ConsumerOffsetManager offsets;
    private final SubscriptionGroupManager groups;
    private final JsonConfigFile<?> delayOffsetFile;
    private final String ownAddr;
    private volatile String masterAddr;
    /** Offsets consumers committed on this slave (while the master was unreachable), not yet handed back. */
    private final Map<String, Map<Integer, Long>> localCommits = new ConcurrentHashMap<>();

    public SlaveSynchronizer(NettyRemotingClient client, TopicConfigManager topics, ConsumerOffsetManager offsets,
                             SubscriptionGroupManager groups, JsonConfigFile<?> delayOffsetFile, String ownAddr) {
        this.client = client;
        this.topics = topics;
        this.offsets = offsets;
        this.groups = groups;
        this.delayOffsetFile = delayOffsetFile;
        this.ownAddr = ownAddr;
    }

    /** Returns true when the address changed (the caller then syncs at once). */
    public boolean updateMasterAddress(String addr) {
        if (addr != null && !addr.equals(masterAddr)) {
            LOG.info("master address is now {}", addr);
            masterAddr = addr;
            return true;
        }
        return false;
    }

    /** A consumer committed an offset on this slave (it only does so when the master is unreachable). */
    public void recordLocalCommit(String group, String topic, int queueId, long offset) {
        localCommits.computeIfAbsent(topic + "@" + group, k -> new ConcurrentHashMap<>()).put(queueId, offset);
    }

    public String masterAddr() {
        return masterAddr;
    }

    /** One round of synchronisation; failures are logged and retried next round. */
    public void syncAll() {
        String master = masterAddr;
        if (master == null || master.equals(ownAddr)) {
            return;
        }
        try {
            int colon = master.lastIndexOf(':');
            String fastAddr = master.substring(0, colon) + ":" + (Integer.parseInt(master.substring(colon + 1)) - 2);
            byte[] topicBody = call(fastAddr, RequestCode.GET_ALL_TOPIC_CONFIG);
            if (topicBody != null && topics.replaceFromMaster(Json.decode(topicBody, TopicConfigSerializeWrapper.class))) {
                LOG.info("topic configs synchronised from master {}", master);
            }
            byte[] offsetBody = call(master, RequestCode.GET_ALL_CONSUMER_OFFSET);
            if (offsetBody != null) {
                ConsumerOffsetManager.OffsetTable masterOffsets = Json.decode(offsetBody, ConsumerOffsetManager.OffsetTable.class);
                handBackLocalCommits(master, masterOffsets);
                offsets.putAll(masterOffsets);
                offsets.persist();
            }
            byte[] delayBody = call(master, RequestCode.GET_ALL_DELAY_OFFSET);
            if (delayBody != null) {
                delayOffsetFile.store(new String(delayBody, StandardCharsets.UTF_8));
            }
            byte[] groupBody = call(master, RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG);
            if (groupBody != null && groups.replaceFromMaster(Json.decode(groupBody, SubscriptionGroupWrapper.class))) {
                LOG.info("subscription groups synchronised from master {}", master);
            }
        } catch (Exception e) {
            LOG.warn("metadata sync from master {} failed: {}", master, e.toString());
        }
    }

    /**
     * Offsets committed here while the master was down go back to the master when they are ahead of
     * its own, so a returning master does not hand consumers stale offsets (RocketMQ 4.x loses them).
     */
    private void handBackLocalCommits(String master, ConsumerOffsetManager.OffsetTable masterOffsets) throws Exception {
        for (Map.Entry<String, Map<Integer, Long>> e : localCommits.entrySet()) {
            int at = e.getKey().indexOf('@');
            String topic = e.getKey().substring(0, at);
            String group = e.getKey().substring(at + 1);
            Map<Integer, Long> onMaster = masterOffsets.offsetTable.computeIfAbsent(e.getKey(), k -> new HashMap<>());
            for (Map.Entry<Integer, Long> q : e.getValue().entrySet()) {
                Long masterValue = onMaster.get(q.getKey());
                if (masterValue == null || masterValue < q.getValue()) {
                    RemotingCommand update = RemotingCommand.request(RequestCode.UPDATE_CONSUMER_OFFSET)
                            .put("consumerGroup", group).put("topic", topic).put("queueId", q.getKey())
                            .put("commitOffset", q.getValue());
                    RemotingCommand r = client.invokeSync(master, update, TIMEOUT_MILLIS);
                    if (r.code() != ResponseCode.SUCCESS) {
                        throw new IllegalStateException("master refused offset update: " + r.remark());
                    }
                    onMaster.put(q.getKey(), q.getValue());
                    LOG.info("handed offset {} of {} queue {} committed while the master was down back to {}",
                            q.getValue(), e.getKey(), q.getKey(), master);
                }
                e.getValue().remove(q.getKey(), q.getValue());
            }
        }
        localCommits.values().removeIf(Map::isEmpty);
    }

    private byte[] call(String addr, int code) throws Exception {
        RemotingCommand r = client.invokeSync(addr, RemotingCommand.request(code), TIMEOUT_MILLIS);
        if (r.code() != ResponseCode.SUCCESS) {
            LOG.warn("master {} answered {} to request {}: {}", addr, r.code(), code, r.remark());
            return null;
        }
        return r.body();
    }
}
