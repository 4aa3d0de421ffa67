package io.rocketcluster.namesrv.kvconfig;

import io.rocketcluster.remoting.config.ConfigFile;
import io.rocketcluster.remoting.data.Json;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Namespaced key-value settings kept by the name server (PUT/GET/DELETE_KV_CONFIG,
 * GET_KVLIST_BY_NAMESPACE; docs/remoting.md §4.5), e.g. {@code ORDER_TOPIC_CONFIG/<topic>}.
 * Every change is written through to {@code kvConfigPath} as
 * {@code {"configTable":{namespace:{key:value}}}} via {@link ConfigFile} (tmp + .bak + rename).
 *
 * <p>Thread-safe: a read-write lock guards the table; changes are persisted under the write lock so
 * the file always reflects the latest change.
 */
public final class KvConfigManager {
    private static final Logger LOG = LogManager.getLogger(KvConfigManager.class);
    /** Namespace of the per-topic ordered-queue settings brokers and the route lookup read. */
    public static final String NAMESPACE_ORDER_TOPIC_CONFIG = "ORDER_TOPIC_CONFIG";

    private final ConfigFile file;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Map<String, String>> configTable = new TreeMap<>();

    private final int maxEntries;

    public KvConfigManager(Path kvConfigPath) {
        this(kvConfigPath, Integer.MAX_VALUE);
    }

    /** @param maxEntries {@code kvConfigMaxEntries}: entries in all namespaces together */
    public KvConfigManager(Path kvConfigPath, int maxEntries) {
        this.file = new ConfigFile(kvConfigPath);
        this.maxEntries = maxEntries;
    }

    /**
     * Loads the file (or its backup when the file is corrupt); a missing file is an empty table.
     *
     * @throws IOException when the file and its backup are both unusable
     */
    public void load() throws IOException {
        Optional<KvConfigSerializeWrapper> loaded = file.load(KvConfigManager::parse);
        lock.writeLock().lock();
        try {
            configTable.clear();
            loaded.ifPresent(w -> {
                if (w.configTable != null) {
                    w.configTable.forEach((ns, kv) -> {
                        if (ns != null && kv != null) {
                            Map<String, String> copy = new TreeMap<>();
                            kv.forEach((k, v) -> {
                                if (k != null && v != null) {
                                    copy.put(k, v);
                                }
                            });
                            configTable.put(ns, copy);
                        }
                    });
                }
            });
            LOG.info("loaded {} KV namespace(s) from {}", configTable.size(), file.path());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Sets {@code namespace/key} to {@code value} and persists.
     *
     * @throws UncheckedIOException when the file cannot be written (the change stays in memory)
     * @throws io.rocketcluster.namesrv.LimitExceededException when a new entry would pass kvConfigMaxEntries
     */
    public void putKVConfig(String namespace, String key, String value) {
        lock.writeLock().lock();
        try {
            Map<String, String> existing = configTable.get(namespace);
            if (existing == null || !existing.containsKey(key)) {
                int entries = configTable.values().stream().mapToInt(Map::size).sum();
                if (entries >= maxEntries) {
                    throw new io.rocketcluster.namesrv.LimitExceededException("the nameserver already holds "
                            + entries + " KV config entries (kvConfigMaxEntries=" + maxEntries + ")");
                }
            }
            String prev = configTable.computeIfAbsent(namespace, n -> new TreeMap<>()).put(key, value);
            LOG.info("KV config {} {}: {} = {}", prev == null ? "created" : "updated", namespace, key, value);
            persist();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes {@code namespace/key} (nothing happens when absent) and persists. */
    public void deleteKVConfig(String namespace, String key) {
        lock.writeLock().lock();
        try {
            Map<String, String> kv = configTable.get(namespace);
            if (kv == null || kv.remove(key) == null) {
                return;
            }
            if (kv.isEmpty()) {
                configTable.remove(namespace);
            }
            LOG.info("KV config deleted {}: {}", namespace, key);
            persist();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The value of {@code namespace/key}, or null. */
    public String getKVConfig(String namespace, String key) {
        lock.readLock().lock();
        try {
            Map<String, String> kv = configTable.get(namespace);
            return kv == null ? null : kv.get(key);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A copy of all entries of {@code namespace}; empty when the namespace does not exist. */
    public Optional<Map<String, String>> getKVListByNamespace(String namespace) {
        lock.readLock().lock();
        try {
            Map<String, String> kv = configTable.get(namespace);
            return kv == null ? Optional.empty() : Optional.of(new TreeMap<>(kv));
        } finally {
            lock.readLock().unlock();
        }
    }

    private static KvConfigSerializeWrapper parse(String text) throws IOException {
        KvConfigSerializeWrapper w = Json.decode(text, KvConfigSerializeWrapper.class);
        if (w == null) {
            throw new IOException("not a JSON object");
        }
        return w;
    }

    public Path path() {
        return file.path();
    }

    private void persist() {
        KvConfigSerializeWrapper w = new KvConfigSerializeWrapper();
        configTable.forEach((ns, kv) -> w.configTable.put(ns, new TreeMap<>(kv)));
        try {
            file.store(Json.pretty(w));
        } catch (IOException e) {
            LOG.error("cannot persist KV config to {}", file.path(), e);
            throw new UncheckedIOException("cannot persist KV config to " + file.path() + ": " + e, e);
        }
    }
}
