package io.rocketcluster.broker.store;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;

/** All consume queues, under {@code <storePathRootDir>/consumequeue/<topic>/<queueId>/}. Thread-safe. */
public final class ConsumeQueueStore {
    private static final Logger LOG = LogManager.getLogger(ConsumeQueueStore.class);
    private final Path root;
    private final int fileSize;
    private final DiskSync diskSync;
    private final ConcurrentMap<String, ConcurrentMap<Integer, ConsumeQueue>> queues = new ConcurrentHashMap<>();

    public ConsumeQueueStore(Path root, int fileSize, DiskSync diskSync) {
        this.root = root;
        this.fileSize = fileSize;
        this.diskSync = diskSync;
    }

    void load(boolean onDisk) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> topics = Files.list(root)) {
            for (Path topicDir : topics.filter(Files::isDirectory).toList()) {
                String problem = StorePaths.problem(topicDir.getFileName().toString());
                if (problem != null) {
                    // left by a broker that did not check names: not a topic's queues
                    LOG.warn("ignoring {} in {}: {}", StorePaths.printable(topicDir.getFileName().toString()), root, problem);
                    continue;
                }
                try (Stream<Path> ids = Files.list(topicDir)) {
                    for (Path qDir : ids.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                        ConsumeQueue cq = get(topicDir.getFileName().toString(),
                                Integer.parseInt(qDir.getFileName().toString()));
                        cq.load(onDisk);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load consume queues from " + root, e);
        }
    }

    /**
     * The queue, created (empty, no file yet) if it does not exist; IllegalArgumentException when
     * {@code topic} is not a plain directory name under the root ({@link StorePaths}).
     */
    public ConsumeQueue get(String topic, int queueId) {
        Map<Integer, ConsumeQueue> m = queues.get(topic);
        ConsumeQueue existing = m == null ? null : m.get(queueId);
        if (existing != null) {
            return existing;
        }
        Path dir = StorePaths.under(root, topic, String.valueOf(queueId));
        return queues.computeIfAbsent(topic, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(queueId, id -> new ConsumeQueue(topic, id, dir, fileSize, diskSync));
    }

    /** The queue if it exists, else null. */
    public ConsumeQueue find(String topic, int queueId) {
        Map<Integer, ConsumeQueue> m = queues.get(topic);
        return m == null ? null : m.get(queueId);
    }

    Collection<ConsumeQueue> all() {
        return queues.values().stream().flatMap(m -> m.values().stream()).toList();
    }

    /** Next queue offset per {@code topic-queueId}, as the commitlog keeps them. */
    Map<String, Long> nextOffsets() {
        Map<String, Long> m = new HashMap<>();
        for (ConsumeQueue cq : all()) {
            m.put(cq.topic() + "-" + cq.queueId(), cq.maxOffset());
        }
        return m;
    }

    void truncateAfter(long commitLogEnd) {
        all().forEach(cq -> cq.truncateAfter(commitLogEnd));
    }

    void deleteBefore(long commitLogMin) {
        all().forEach(cq -> cq.deleteBefore(commitLogMin));
    }

    void flush(int leastPages) {
        all().forEach(cq -> cq.flush(leastPages));
    }

    /** Deletes a topic's queues and files. */
    void delete(String topic) {
        Path dir = StorePaths.under(root, topic);
        Map<Integer, ConsumeQueue> m = queues.remove(topic);
        if (m != null) {
            m.values().forEach(cq -> cq.close(true));
        }
        deleteDirectory(dir);
    }

    private static void deleteDirectory(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    List<String> topics() {
        return List.copyOf(queues.keySet());
    }

    void abandon() {
        all().forEach(cq -> cq.files().abandon());
    }

    void close() {
        all().forEach(cq -> cq.close(false));
    }
}
