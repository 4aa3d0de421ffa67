package io.rocketcluster.broker.client;

import io.rocketcluster.broker.topic.GroupValidator;
import io.rocketcluster.broker.util.CreationBudget;
import io.rocketcluster.broker.util.JsonConfigFile;
import io.rocketcluster.remoting.data.DataVersion;
import io.rocketcluster.remoting.data.SubscriptionGroupConfig;
import io.rocketcluster.remoting.data.SubscriptionGroupWrapper;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Consumer group settings, persisted in {@code config/subscriptionGroup.json}; unknown groups are
 * created with defaults on first use when {@code autoCreateSubscriptionGroup} is on. Thread-safe.
 */
public final class SubscriptionGroupManager {
    private static final List<String> DEFAULT_GROUPS = List.of("TOOLS_CONSUMER", "FILTERSRV_CONSUMER",
            "SELF_TEST_C_GROUP", "CID_ONS-HTTP-PROXY", "CID_ONSAPI_PULL", "CID_ONSAPI_PERMISSION", "CID_ONSAPI_OWNER");

    private final JsonConfigFile<SubscriptionGroupWrapper> file;
    private final Map<String, SubscriptionGroupConfig> groups = new ConcurrentHashMap<>();
    private final boolean autoCreate;
    private final CreationBudget autoCreation;
    private final LongSupplier clock;
    private volatile DataVersion dataVersion = new DataVersion();

    public SubscriptionGroupManager(Path storeConfigDir, boolean autoCreate, CreationBudget autoCreation,
                                    LongSupplier clock) {
        this.file = new JsonConfigFile<>(storeConfigDir.resolve("subscriptionGroup.json"), SubscriptionGroupWrapper.class);
        this.autoCreate = autoCreate;
        this.autoCreation = autoCreation;
        this.clock = clock;
    }

    public void load() {
        SubscriptionGroupWrapper w = file.load();
        if (w != null) {
            if (w.subscriptionGroupTable != null) {
                groups.putAll(w.subscriptionGroupTable);
            }
            if (w.dataVersion != null) {
                dataVersion = w.dataVersion;
            }
        }
        for (String g : DEFAULT_GROUPS) {
            groups.putIfAbsent(g, new SubscriptionGroupConfig(g));
        }
    }

    /**
     * The group's config, auto-created when allowed (never for an illegal name, nor beyond the
     * auto-creation budget); null otherwise, and {@link #whyAbsent} says why.
     */
    public SubscriptionGroupConfig findOrCreate(String group) {
        if (group == null) {
            return null;
        }
        SubscriptionGroupConfig c = groups.get(group);
        if (c != null) {
            return c;
        }
        if ((!autoCreate && !group.startsWith("CID_RMQ_SYS_")) || GroupValidator.check(group) != null) {
            return null;
        }
        synchronized (this) {
            c = groups.get(group);
            if (c != null) {
                return c;
            }
            if (autoCreation.tryAcquire(groups.size()) != null) {
                return null;
            }
            c = new SubscriptionGroupConfig(group);
            groups.put(group, c);
            dataVersion.next(clock.getAsLong());
            persist();
            return c;
        }
    }

    /** Why {@link #findOrCreate} found no config for a group, for the remark of the refusal. */
    public String whyAbsent(String group) {
        if (group == null) {
            return "no consumer group given";
        }
        String illegal = GroupValidator.check(group);
        if (illegal != null) {
            return illegal;
        }
        if (!autoCreate && !group.startsWith("CID_RMQ_SYS_")) {
            return "subscription group [" + group + "] does not exist (autoCreateSubscriptionGroup=false)";
        }
        String bound = autoCreation.refusal(groups.size());
        return "subscription group [" + group + "] does not exist" + (bound == null ? "" : " " + bound);
    }

    public void update(SubscriptionGroupConfig c) {
        groups.put(c.groupName, c);
        dataVersion.next(clock.getAsLong());
        persist();
    }

    public boolean delete(String group) {
        boolean removed = groups.remove(group) != null;
        if (removed) {
            dataVersion.next(clock.getAsLong());
            persist();
        }
        return removed;
    }

    /** Adopts a master's whole table when its version differs (slave sync); true when it did. */
    public synchronized boolean replaceFromMaster(SubscriptionGroupWrapper master) {
        if (master.dataVersion == null || master.dataVersion.equals(dataVersion)) {
            return false;
        }
        groups.clear();
        groups.putAll(master.subscriptionGroupTable);
        dataVersion = master.dataVersion.copy();
        persist();
        return true;
    }

    public SubscriptionGroupWrapper snapshot() {
        SubscriptionGroupWrapper w = new SubscriptionGroupWrapper();
        w.dataVersion = dataVersion.copy();
        w.subscriptionGroupTable.putAll(groups);
        return w;
    }

    public synchronized void persist() {
        file.store(snapshot());
    }
}
