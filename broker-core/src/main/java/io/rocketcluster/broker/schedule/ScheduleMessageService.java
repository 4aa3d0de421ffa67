package io.rocketcluster.broker.schedule;

import io.rocketcluster.broker.store.DelayLevels;
import io.rocketcluster.broker.store.MessageProperties;
import io.rocketcluster.broker.store.MessageStore;
import io.rocketcluster.broker.store.MessageToStore;
import io.rocketcluster.broker.store.PutResult;
import io.rocketcluster.broker.store.PutStatus;
import io.rocketcluster.broker.store.StoredMessage;
import io.rocketcluster.broker.util.JsonConfigFile;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Delivers scheduled messages (docs/store-layout.md §13), on the master only. Each level's queue of
 * {@link DelayLevels#SCHEDULE_TOPIC} is walked in order from its persisted offset; an entry's tag
 * code is its deliver time, so a message is re-stored in its real topic and queue once that time has
 * come, never before, and in order within the level. Progress is kept in
 * {@code config/delayOffset.json} ({@code {"offsetTable":{level:offset}}}), persisted every
 * {@code flushDelayOffsetInterval} and at shutdown, and resumed after a restart.
 */
public final class ScheduleMessageService implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(ScheduleMessageService.class);
    private static final long FIRST_DELAY_MILLIS = 1000;
    private static final long IDLE_DELAY_MILLIS = 100;
    /**
     * After a redelivery that was not acknowledged as durable (flush or slave timeout, no slave, disk
     * full) the level waits this long before it tries again from the same offset: the delay offset
     * never moves past a message that is not safely in its real topic, and a retry writes a copy.
     */
    private static final long RETRY_AFTER_FAILURE_MILLIS = 10_000;

    /** delayOffset.json's shape. */
    public static class DelayOffsets {
        public Map<Integer, Long> offsetTable = new TreeMap<>();
    }

    private final MessageStore store;
    private final DelayLevels levels;
    private final JsonConfigFile<DelayOffsets> file;
    private final LongSupplier clock;
    private final Map<Integer, Long> offsets = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private volatile boolean running;

    public ScheduleMessageService(MessageStore store, Path delayOffsetFile, LongSupplier clock) {
        this.store = store;
        this.levels = store.delayLevels();
        this.file = new JsonConfigFile<>(delayOffsetFile, DelayOffsets.class);
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "schedule-delivery");
            t.setDaemon(true);
            return t;
        });
    }

    public void load() {
        DelayOffsets d = file.load();
        if (d != null && d.offsetTable != null) {
            offsets.putAll(d.offsetTable);
        }
    }

    public void start(long persistIntervalMillis) {
        running = true;
        for (int level = 1; level <= levels.maxLevel(); level++) {
            int l = level;
            timer.schedule(() -> deliver(l), FIRST_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
        timer.scheduleWithFixedDelay(this::persist, persistIntervalMillis, persistIntervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Next offset to deliver of a level (1-based). */
    public long offset(int level) {
        return offsets.getOrDefault(level, 0L);
    }

    private void deliver(int level) {
        if (!running) {
            return;
        }
        long next;
        try {
            next = deliverDue(level);
        } catch (RuntimeException e) {
            LOG.error("delivering delay level {} failed; retrying", level, e);
            next = IDLE_DELAY_MILLIS;
        }
        if (running) {
            timer.schedule(() -> deliver(level), Math.max(1, next), TimeUnit.MILLISECONDS);
        }
    }

    /** Delivers what is due at this level; returns how long to wait before looking again. */
    private long deliverDue(int level) {
        int queueId = level - 1;
        String topic = DelayLevels.SCHEDULE_TOPIC;
        long offset = Math.max(offset(level), store.minOffset(topic, queueId));
        long max = store.maxOffset(topic, queueId);
        while (offset < max && running) {
            MessageStore.QueueEntry e = store.entry(topic, queueId, offset);
            if (e == null) {
                offset++;
                continue;
            }
            long now = clock.getAsLong();
            long deliverAt = Math.min(e.tagsCode(), now + levels.delayMillis(level)); // clock went back
            if (deliverAt > now) {
                offsets.put(level, offset);
                return Math.min(deliverAt - now, IDLE_DELAY_MILLIS * 10);
            }
            StoredMessage m = store.messageAt(e.commitLogOffset());
            if (m != null && !redeliver(m)) {
                offsets.put(level, offset);
                return RETRY_AFTER_FAILURE_MILLIS;
            }
            offset++;
            offsets.put(level, offset);
        }
        return IDLE_DELAY_MILLIS;
    }

    private boolean redeliver(StoredMessage scheduled) {
        Map<String, String> props = MessageProperties.parse(scheduled.properties());
        props.remove(MessageProperties.DELAY);
        String realTopic = props.get(MessageProperties.REAL_TOPIC);
        String realQid = props.get(MessageProperties.REAL_QID);
        if (realTopic == null || realQid == null) {
            LOG.warn("scheduled message at {} has no real topic/queue; dropped", scheduled.physicalOffset());
            return true;
        }
        MessageToStore m = scheduled.copy();
        m.topic = realTopic;
        m.queueId = Integer.parseInt(realQid);
        m.properties = MessageProperties.format(props);
        PutResult r = store.put(m, true).join(); // as durable as a send before the offset moves on
        if (r.status() != PutStatus.PUT_OK) {
            String never = io.rocketcluster.broker.store.RecordLimits.violation(m, Integer.MAX_VALUE);
            if (never != null) {
                // written before the store checked names and sizes: retrying would block the level for good
                LOG.warn("scheduled message at {} can never be stored ({}); dropped", scheduled.physicalOffset(), never);
                return true;
            }
            LOG.warn("re-storing scheduled message for {} failed: {}", realTopic, r.status());
            return false;
        }
        return true;
    }

    public DelayOffsets snapshot() {
        DelayOffsets d = new DelayOffsets();
        d.offsetTable.putAll(offsets);
        return d;
    }

    public void persist() {
        try {
            file.store(snapshot());
        } catch (RuntimeException e) {
            LOG.error("persisting delay offsets failed", e);
        }
    }

    @Override
    public void close() {
        running = false;
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        persist();
    }
}
