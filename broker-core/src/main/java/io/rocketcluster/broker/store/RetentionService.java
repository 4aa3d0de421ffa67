package io.rocketcluster.broker.store;

import io.rocketcluster.broker.config.MessageStoreConfig;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Retention and the disk guard (docs/store-layout.md §12, with RocketCluster's disk-full rule):
 * <ul>
 *   <li>A commitlog file older than {@code fileReservedTime} hours (file modification time) is
 *       deleted when the local hour is listed in {@code deleteWhen} ("04" or "04;16"), or at any hour
 *       while the disk is used above {@code diskMaxUsedSpaceRatio}; at most 10 files per pass, never
 *       the file being written.</li>
 *   <li>Consume queues (and, through the listener, the index) then drop what points below the new
 *       commitlog minimum, so a consumer behind it is moved forward, not stuck.</li>
 *   <li>If the disk is still above the ratio once nothing more is expired, the store is full: writes
 *       are refused (nothing is written, so nothing is corrupted) until usage drops below it.</li>
 * </ul>
 * A deleted file leaves the disk at once and is unmapped when its last reader releases it (see
 * {@link MappedFile}); RocketMQ's {@code destroyMapedFileIntervalForcibly}, which unmaps under
 * readers after a delay, is accepted and ignored. Time ({@code clock}) and disk usage are injected.
 * Thread-safe.
 */
final class RetentionService {
    private static final Logger LOG = LogManager.getLogger(RetentionService.class);
    private static final int MAX_FILES_PER_PASS = 10;
    /** How stale a disk measurement may be on the put path: bounds how far writes overshoot the ratio. */
    private static final long DISK_CHECK_INTERVAL_MILLIS = 100;

    private final MessageStoreConfig config;
    private final CommitLog commitLog;
    private final ConsumeQueueStore queues;
    private final LongSupplier clock;
    private final DiskUsage diskUsage;
    private final LongConsumer afterCommitLogDeletion;
    private volatile boolean diskFull;
    private volatile double lastRatio;
    private volatile long lastDiskCheck;

    RetentionService(MessageStoreConfig config, CommitLog commitLog, ConsumeQueueStore queues, LongSupplier clock,
                     DiskUsage diskUsage, LongConsumer afterCommitLogDeletion) {
        this.config = config;
        this.commitLog = commitLog;
        this.queues = queues;
        this.clock = clock;
        this.diskUsage = diskUsage;
        this.afterCommitLogDeletion = afterCommitLogDeletion;
    }

    private Path dir() {
        return Path.of(config.commitLogDir());
    }

    private double limit() {
        return config.getDiskMaxUsedSpaceRatio() / 100.0;
    }

    /** Used ratio of the commitlog's disk, measured at most every {@value #DISK_CHECK_INTERVAL_MILLIS} ms. */
    double usedRatio() {
        long now = System.nanoTime() / 1_000_000;
        if (now - lastDiskCheck >= DISK_CHECK_INTERVAL_MILLIS) {
            lastRatio = diskUsage.usedRatio(dir());
            lastDiskCheck = now;
        }
        return lastRatio;
    }

    /**
     * Whether writes must be refused: the disk is over diskMaxUsedSpaceRatio (the cleaning pass then
     * deletes what may go). Cheap enough for the put path: one statvfs call at most every 100 ms.
     * Measured here too, not only by the cleaning pass: a pass delayed on a busy machine must not let
     * writes run on until the disk is really full (a write into a mapped file on a full disk kills the
     * process).
     */
    boolean isDiskFull() {
        double ratio = usedRatio();
        if (!diskFull && ratio > limit()) {
            diskFull = true;
            LOG.error(diskFullReason());
        } else if (diskFull && ratio <= limit()) {
            diskFull = false;
            LOG.info("disk usage {}% is below diskMaxUsedSpaceRatio {}% again: writes accepted",
                    Math.round(ratio * 100), config.getDiskMaxUsedSpaceRatio());
        }
        return diskFull;
    }

    String diskFullReason() {
        return String.format("disk full: the commitlog disk is %d%% used, above diskMaxUsedSpaceRatio %d%%, "
                + "writes resume once expired files are deleted or space is freed", Math.round(lastRatio * 100),
                config.getDiskMaxUsedSpaceRatio());
    }

    /** One pass: delete what may go, then decide whether the disk is full. */
    synchronized int run() {
        lastDiskCheck = 0;
        double ratio = usedRatio();
        boolean pressure = ratio > limit();
        int deleted = 0;
        if (pressure || isDeleteHour()) {
            deleted = deleteExpired();
            if (deleted > 0) {
                long min = commitLog.minOffset();
                queues.deleteBefore(min);
                afterCommitLogDeletion.accept(min);
                LOG.info("retention deleted {} commitlog file(s){}; commitlog now starts at {}", deleted,
                        pressure ? " under disk pressure (" + Math.round(ratio * 100) + "% used)" : "", min);
            }
        }
        lastDiskCheck = 0;
        boolean full = usedRatio() > limit();
        if (full && !diskFull) {
            LOG.error(diskFullReason());
        }
        diskFull = full;
        return deleted;
    }

    private int deleteExpired() {
        long reservedMillis = config.getFileReservedTime() * 3_600_000L;
        long now = clock.getAsLong();
        int deleted = 0;
        MappedFileQueue files = commitLog.files();
        while (deleted < MAX_FILES_PER_PASS && files.files().size() > 1) {
            MappedFile first = files.first();
            if (now - first.fileModifiedMillis() < reservedMillis) {
                break;
            }
            commitLog.deleteFirstFile();
            deleted++;
        }
        return deleted;
    }

    private boolean isDeleteHour() {
        int hour = Instant.ofEpochMilli(clock.getAsLong()).atZone(ZoneId.systemDefault()).getHour();
        return hours(config.getDeleteWhen()).contains(hour);
    }

    static Set<Integer> hours(String deleteWhen) {
        Set<Integer> out = new HashSet<>();
        for (String h : deleteWhen.split(";")) {
            if (!h.isBlank()) {
                out.add(Integer.parseInt(h.trim()));
            }
        }
        return out;
    }
}
