package io.rocketcluster.broker.offset;

import io.rocketcluster.broker.util.JsonConfigFile;
import io.rocketcluster.remoting.data.Json;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Committed consumer offsets ("next offset to consume") per {@code topic@group} and queue, persisted
 * in {@code config/consumerOffset.json} (docs/store-layout.md §10) every {@code flushConsumerOffsetInterval}
 * and at shutdown. Thread-safe.
 */
public final class ConsumerOffsetManager {
    private static final String SEPARATOR = "@";

    /** The file's shape: {@code {"offsetTable":{"topic@group":{queueId:offset}}}}. */
    public static class OffsetTable {
        public Map<String, Map<Integer, Long>> offsetTable = new ConcurrentHashMap<>();
    }

    private final JsonConfigFile<OffsetTable> file;
    private final ConcurrentMap<String, ConcurrentMap<Integer, Long>> offsets = new ConcurrentHashMap<>();

    public ConsumerOffsetManager(Path storeConfigDir) {
        this.file = new JsonConfigFile<>(storeConfigDir.resolve("consumerOffset.json"), OffsetTable.class);
    }

    public void load() {
        OffsetTable t = file.load();
        if (t != null && t.offsetTable != null) {
            t.offsetTable.forEach((k, v) -> offsets.put(k, new ConcurrentHashMap<>(v)));
        }
    }

    public void commit(String group, String topic, int queueId, long offset) {
        offsets.computeIfAbsent(topic + SEPARATOR + group, k -> new ConcurrentHashMap<>()).put(queueId, offset);
    }

    /** The committed offset, or -1 when none. */
    public long query(String group, String topic, int queueId) {
        Map<Integer, Long> m = offsets.get(topic + SEPARATOR + group);
        if (m == null) {
            return -1;
        }
        Long v = m.get(queueId);
        return v == null ? -1 : v;
    }

    public Map<Integer, Long> queryAll(String group, String topic) {
        Map<Integer, Long> m = offsets.get(topic + SEPARATOR + group);
        return m == null ? Map.of() : Map.copyOf(m);
    }

    public void removeTopic(String topic) {
        offsets.keySet().removeIf(k -> k.startsWith(topic + SEPARATOR));
    }

    /** Forgets every offset of {@code group} (topic names cannot contain the separator). */
    public void removeGroup(String group) {
        offsets.keySet().removeIf(k -> k.substring(k.indexOf(SEPARATOR) + 1).equals(group));
    }

    public OffsetTable snapshot() {
        OffsetTable t = new OffsetTable();
        offsets.forEach((k, v) -> t.offsetTable.put(k, Map.copyOf(v)));
        return t;
    }

    /** Replaces or adds offsets from a master's table (slave sync). */
    public void putAll(OffsetTable t) {
        t.offsetTable.forEach((k, v) -> offsets.computeIfAbsent(k, x -> new ConcurrentHashMap<>()).putAll(v));
    }

    public String encode() {
        return new String(Json.encode(snapshot()), java.nio.charset.StandardCharsets.UTF_8);
    }

    public void persist() {
        file.store(snapshot());
    }
}
