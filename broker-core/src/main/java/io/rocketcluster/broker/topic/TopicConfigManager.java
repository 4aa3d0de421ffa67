package io.rocketcluster.broker.topic;

import io.rocketcluster.broker.config.BrokerConfig;
import io.rocketcluster.broker.util.CreationBudget;
import io.rocketcluster.broker.util.JsonConfigFile;
import io.rocketcluster.remoting.data.DataVersion;
import io.rocketcluster.remoting.data.Perm;
import io.rocketcluster.remoting.data.TopicConfig;
import io.rocketcluster.remoting.data.TopicConfigSerializeWrapper;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The broker's topic table, persisted in {@code config/topics.json}. Every change bumps the
 * {@link DataVersion} that nameservers use to notice updates. Creates the system topics every broker
 * has at start (docs/store-layout.md §11) and auto-creates topics from {@code TBW102} on first send.
 * Thread-safe.
 */
public final class TopicConfigManager {
    private static final Logger LOG = LogManager.getLogger(TopicConfigManager.class);

    private final BrokerConfig brokerConfig;
    private final JsonConfigFile<TopicConfigSerializeWrapper> file;
    private final LongSupplier clock;
    private final CreationBudget autoCreation;
    private final Map<String, TopicConfig> topics = new ConcurrentHashMap<>();
    private volatile DataVersion dataVersion = new DataVersion();

    public TopicConfigManager(BrokerConfig brokerConfig, Path storeConfigDir, LongSupplier clock) {
        this.brokerConfig = brokerConfig;
        this.file = new JsonConfigFile<>(storeConfigDir.resolve("topics.json"), TopicConfigSerializeWrapper.class);
        this.clock = clock;
        this.autoCreation = new CreationBudget("topics", "autoCreateTopicMaxCount",
                brokerConfig.getAutoCreateTopicMaxCount(), "autoCreateTopicMaxPerMinute",
                brokerConfig.getAutoCreateTopicMaxPerMinute(), clock);
    }

    public void load() {
        TopicConfigSerializeWrapper w = file.load();
        if (w != null) {
            if (w.topicConfigTable != null) {
                topics.putAll(w.topicConfigTable);
            }
            if (w.dataVersion != null) {
                dataVersion = w.dataVersion;
            }
        }
        createSystemTopics();
        dataVersion.next(clock.getAsLong());
        persist();
    }

    private void createSystemTopics() {
        putSystem(new TopicConfig(TopicValidator.SELF_TEST_TOPIC, 1, 1, 6));
        if (brokerConfig.isAutoCreateTopicEnable()) {
            int n = brokerConfig.getDefaultTopicQueueNums();
            putSystem(new TopicConfig(TopicValidator.AUTO_CREATE_TOPIC_KEY, n, n,
                    Perm.INHERIT | Perm.READ | Perm.WRITE));
        }
        putSystem(new TopicConfig(TopicValidator.BENCHMARK_TOPIC, 1024, 1024, 6));
        putSystem(new TopicConfig(brokerConfig.getBrokerClusterName(), 16, 16,
                Perm.INHERIT | (brokerConfig.isClusterTopicEnable() ? Perm.READ | Perm.WRITE : 0)));
        putSystem(new TopicConfig(brokerConfig.getBrokerName(), 1, 1,
                Perm.INHERIT | (brokerConfig.isBrokerTopicEnable() ? Perm.READ | Perm.WRITE : 0)));
        putSystem(new TopicConfig(TopicValidator.OFFSET_MOVED_EVENT, 1, 1, 6));
        putSystem(new TopicConfig(TopicValidator.SCHEDULE_TOPIC, 18, 18, 6));
        if (brokerConfig.isTraceTopicEnable()) {
            putSystem(new TopicConfig(brokerConfig.getMsgTraceTopicName(), 1, 1, 6));
        }
        putSystem(new TopicConfig(brokerConfig.getBrokerClusterName() + "_REPLY_TOPIC", 1, 1, 6));
    }

    private void putSystem(TopicConfig c) {
        topics.put(c.topicName, c);
    }

    public TopicConfig get(String topic) {
        return topics.get(topic);
    }

    public Map<String, TopicConfig> all() {
        return topics;
    }

    public DataVersion dataVersion() {
        return dataVersion;
    }

    /**
     * Creates {@code topic} on first send from the template {@code defaultTopic} (docs/store-layout.md §11.4).
     * Returns the new config, or null when the template is missing or not inheritable, or the
     * auto-creation budget is spent ({@link #autoCreateRefusal} says why).
     */
    public synchronized TopicConfig createOnSend(String topic, String defaultTopic, int clientQueueNums, int sysFlag) {
        TopicConfig existing = topics.get(topic);
        if (existing != null) {
            return existing;
        }
        if (autoCreation.refusal(topics.size()) != null) {
            return null;
        }
        TopicConfig template = topics.get(defaultTopic);
        if (template == null) {
            return null;
        }
        int templatePerm = template.perm;
        if (defaultTopic.equals(TopicValidator.AUTO_CREATE_TOPIC_KEY) && !brokerConfig.isAutoCreateTopicEnable()) {
            templatePerm = Perm.READ | Perm.WRITE;
        }
        if (!Perm.inherited(templatePerm)) {
            LOG.warn("cannot auto-create topic {}: template {} (perm {}) is not inheritable", topic, defaultTopic,
                    templatePerm);
            return null;
        }
        int queues = Math.max(1, Math.min(clientQueueNums, template.writeQueueNums));
        TopicConfig c = new TopicConfig(topic, queues, queues, templatePerm & ~Perm.INHERIT);
        c.topicFilterType = template.topicFilterType;
        c.topicSysFlag = sysFlag;
        LOG.info("auto-created topic {} from {}: {} queues", topic, defaultTopic, queues);
        autoCreation.tryAcquire(topics.size());
        update(c);
        return c;
    }

    /** Why a topic would not be auto-created now because of its bounds; null when it would be. */
    public String autoCreateRefusal() {
        return autoCreation.refusal(topics.size());
    }

    /**
     * A retry topic a client sent to before it existed: created like {@link #createRetryTopic} but within
     * the auto-creation budget; null when the budget is spent.
     */
    public synchronized TopicConfig createRetryTopicOnSend(String topic) {
        TopicConfig existing = topics.get(topic);
        if (existing != null) {
            return existing;
        }
        if (autoCreation.tryAcquire(topics.size()) != null) {
            return null;
        }
        return createRetryTopic(topic, 1);
    }

    /** Creates a group's retry or dead-letter topic (or another internal topic) if missing, perm read+write. */
    public TopicConfig createRetryTopic(String topic, int queueNums) {
        TopicConfig existing = topics.get(topic);
        if (existing != null) {
            return existing;
        }
        synchronized (this) {
            existing = topics.get(topic);
            if (existing != null) {
                return existing;
            }
            TopicConfig c = new TopicConfig(topic, queueNums, queueNums, Perm.READ | Perm.WRITE);
            update(c);
            return c;
        }
    }

    /** Creates or replaces a topic config, bumps the version and persists. */
    public synchronized void update(TopicConfig c) {
        topics.put(c.topicName, c);
        dataVersion.next(clock.getAsLong());
        persist();
    }

    public synchronized boolean delete(String topic) {
        if (topics.remove(topic) == null) {
            return false;
        }
        dataVersion.next(clock.getAsLong());
        persist();
        return true;
    }

    /** Adopts a master's whole table when its version differs (slave sync); true when it did. */
    public synchronized boolean replaceFromMaster(TopicConfigSerializeWrapper master) {
        if (master.dataVersion == null || master.dataVersion.equals(dataVersion)) {
            return false;
        }
        topics.clear();
        topics.putAll(master.topicConfigTable);
        dataVersion = master.dataVersion.copy();
        persist();
        return true;
    }

    /** A snapshot for registration and slave sync. */
    public TopicConfigSerializeWrapper snapshot() {
        TopicConfigSerializeWrapper w = new TopicConfigSerializeWrapper();
        synchronized (this) {
            w.dataVersion = dataVersion.copy();
            Map<String, TopicConfig> copy = new LinkedHashMap<>();
            topics.forEach((k, v) -> copy.put(k, v.copy()));
            w.topicConfigTable = copy;
        }
        return w;
    }

    public synchronized void persist() {
        file.store(snapshot());
    }
}
