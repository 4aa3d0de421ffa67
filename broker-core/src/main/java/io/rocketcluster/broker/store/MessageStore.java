package io.rocketcluster.broker.store;

import io.rocketcluster.broker.config.BrokerRole;
import io.rocketcluster.broker.config.FlushDiskType;
import io.rocketcluster.broker.config.MessageStoreConfig;
import io.rocketcluster.broker.store.index.IndexQueryResult;
import io.rocketcluster.broker.store.index.IndexService;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The broker's store: commitlog, consume queues, message index and checkpoint under {@code storePathRootDir}, in
 * RocketMQ 4.x's layout (docs/store-layout.md). Owns the dispatcher and flush threads and performs
 * recovery at start: after a clean stop the {@code abort} marker is absent; after a crash the torn
 * commitlog tail is truncated and consume queues are rebuilt from the last checkpoint.
 *
 * <p>Thread-safe.
 */
public final class MessageStore {
    private volatile java.util.function.Supplier<String> writeFence = () -> null;
    private static final Logger LOG = LogManager.getLogger(MessageStore.class);

    private static final long PHYSICAL_MEMORY = physicalMemory();
    private final MessageStoreConfig config;
    private final LongSupplier clock;
    private final Path root;
    private final CommitLog commitLog;
    private final DelayLevels delayLevels;
    private final ConsumeQueueStore queues;
    private final Dispatcher dispatcher;
    private final CommitLogFlusher flusher;
    /** The message index (store.index); null when messageIndexEnable=false. */
    private final IndexService index;
    private final ScheduledExecutorService scheduler;
    private final DiskSync diskSync;
    private final StoreHealth health = new StoreHealth();
    private StoreCheckpoint checkpoint;
    private long lastThoroughQueueFlush;
    /**
     * Held by a flush round from reading the dispatched offset until the checkpoint is written, and by
     * a truncation: a checkpoint must never record an offset read before a truncation that moved it.
     */
    private final java.util.concurrent.locks.ReentrantLock checkpointLock = new java.util.concurrent.locks.ReentrantLock();
    private FileChannel lockChannel;
    private FileLock fileLock;
    private Thread dispatchThread;
    private Thread flushThread;
    private final List<Runnable> appendListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<java.util.function.LongConsumer> retentionListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final RetentionService retention;
    private volatile ReplicaWaiter replicaWaiter;
    private volatile boolean running;
    private volatile boolean recoveredFromCrash;

    public MessageStore(MessageStoreConfig config, LongSupplier clock) {
        this(config, clock, DiskUsage.fileSystem());
    }

    /** A store with injected time and disk usage (retention and the disk guard use both). */
    public MessageStore(MessageStoreConfig config, LongSupplier clock, DiskUsage diskUsage) {
        this(config, clock, diskUsage, DiskSync.SYSTEM);
    }

    /**
     * As above, with every force going through {@code diskSync} (tests inject I/O errors and model
     * power loss there).
     */
    public MessageStore(MessageStoreConfig config, LongSupplier clock, DiskUsage diskUsage, DiskSync diskSync) {
        this.config = config;
        this.clock = clock;
        this.diskSync = diskSync;
        this.root = Path.of(config.getStorePathRootDir());
        this.commitLog = new CommitLog(Path.of(config.commitLogDir()), config.getMappedFileSizeCommitLog(), clock,
                diskSync);
        this.queues = new ConsumeQueueStore(root.resolve("consumequeue"), config.getMappedFileSizeConsumeQueue(),
                diskSync);
        this.delayLevels = new DelayLevels(config.getMessageDelayLevel());
        this.dispatcher = new Dispatcher(commitLog, queues, delayLevels, health);
        this.index = config.isMessageIndexEnable() ? new IndexService(root.resolve("index"),
                config.getMaxHashSlotNum(), config.getMaxIndexNum(), clock, diskSync) : null;
        if (index != null) {
            dispatcher.setRecordSink(index::index);
            retentionListeners.add(index::deleteFilesBefore);
        }
        this.flusher = new CommitLogFlusher(commitLog, config, health);
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "store-maintenance");
            t.setDaemon(true);
            return t;
        });
        this.retention = new RetentionService(config, commitLog, queues, clock, diskUsage,
                min -> retentionListeners.forEach(l -> l.accept(min)));
    }

    /** Locks the store directory, recovers it and starts the store threads. */
    public void start() {
        try {
            Files.createDirectories(root);
            Files.createDirectories(Path.of(config.commitLogDir()));
            lockChannel = FileChannel.open(root.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            fileLock = lockChannel.tryLock();
            if (fileLock == null) {
                throw new IllegalStateException("store " + root + " is in use by another broker (lock file held)");
            }
            lockChannel.write(ByteBuffer.wrap("lock".getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open store " + root, e);
        }
        Path abort = root.resolve("abort");
        recoveredFromCrash = Files.exists(abort);
        checkpoint = new StoreCheckpoint(root.resolve("checkpoint"), diskSync);
        try {
            commitLog.load(!recoveredFromCrash);
            queues.load(!recoveredFromCrash);
            if (index != null) {
                index.load();
            }
            recover();
        } catch (RuntimeException e) {
            releaseWithoutFlushing();
            throw e;
        }
        try {
            Files.writeString(abort, "");
            try (FileChannel marker = FileChannel.open(abort, StandardOpenOption.WRITE)) {
                marker.force(true); // a power loss must not make the next start look like a clean stop
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + abort, e);
        }
        running = true;
        lastThoroughQueueFlush = clock.getAsLong();
        dispatchThread = health.supervised("store-dispatch", dispatcher, () -> running, false);
        dispatchThread.start();
        flushThread = health.supervised("store-commitlog-flush", flusher, () -> running, true);
        flushThread.start();
        scheduler.scheduleWithFixedDelay(this::flushConsumeQueues, config.getFlushIntervalConsumeQueue(),
                config.getFlushIntervalConsumeQueue(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::cleanQuietly, config.getCleanResourceInterval(),
                config.getCleanResourceInterval(), TimeUnit.MILLISECONDS);
    }

    /**
     * Start-up recovery (docs/store-layout.md §6): find the end of the valid commitlog from the
     * checkpoint on, cut a torn tail, drop queue and index entries beyond it and re-dispatch from
     * the checkpoint. Bytes that are not a record below the offset the checkpoint recorded as forced
     * are corruption, not a torn write: the store refuses to start (naming file and offset) unless
     * {@code truncateCorruptCommitLog=true}, which keeps the bytes from there on in
     * {@code <store>/corrupt/} and truncates.
     */
    private void recover() {
        long dispatchFrom = Math.min(checkpoint.dispatchedOffset(), commitLog.maxOffset());
        if (!recoveredFromCrash && commitLog.files().last() != null) {
            // clean stop: only the tail file can hold unfinished data
            dispatchFrom = Math.min(dispatchFrom, commitLog.files().last().fileFromOffset());
        }
        dispatchFrom = Math.max(dispatchFrom, commitLog.minOffset());
        long validEnd = validCommitLogEnd(dispatchFrom);
        queues.truncateAfter(validEnd);
        if (index != null) {
            // after a crash the newest index entries are not trusted: keep those below where dispatch restarts
            index.recover(recoveredFromCrash ? Math.min(dispatchFrom, validEnd) : validEnd, recoveredFromCrash);
        }
        dispatcher.setDispatchedOffset(Math.min(dispatchFrom, validEnd));
        int redispatched = dispatcher.catchUp();
        commitLog.setQueueOffsets(queues.nextOffsets());
        if (recoveredFromCrash) {
            // what the dead process wrote may be in the page cache only: force it before claiming it
            flusher.setFlushedOffset(commitLog.flush(0));
            queues.flush(0);
        } else {
            flusher.setFlushedOffset(validEnd);
        }
        LOG.info("store {} recovered ({}): commitlog [{}, {}), {} records re-dispatched from {}",
                root, recoveredFromCrash ? "after a crash" : "after a clean stop", commitLog.minOffset(),
                validEnd, redispatched, dispatchFrom);
    }

    /** Scans the commitlog from {@code scanFrom}, cuts a torn tail and returns the valid end. */
    private long validCommitLogEnd(long scanFrom) {
        CommitLog.ScanEnd end = commitLog.scan(scanFrom, config.isCheckCRCOnRecover());
        long forced = checkpoint.flushedCommitLogOffset();
        if (end.stop().is(LogEntry.Kind.CORRUPT) && end.offset() < forced) {
            String where = "commitlog offset " + end.offset() + " (" + commitLog.describe(end.offset()) + ")";
            if (!config.isTruncateCorruptCommitLog()) {
                throw new StoreCorruptedException("the store " + root + " is corrupted at " + where + ": "
                        + end.stop().problem() + ". This lies below offset " + forced + ", which was on disk, so it is "
                        + "not a torn write; the broker does not start rather than drop acknowledged messages. See "
                        + "README \"Salvaging a corrupted store\" (truncateCorruptCommitLog=true keeps the bytes from "
                        + "there on in " + root.resolve("corrupt") + " and truncates)", end.offset());
            }
            try {
                Path saved = saveCommitLogRange(end.offset(), commitLog.maxOffset(), root.resolve("corrupt"));
                LOG.error("truncateCorruptCommitLog=true: the commitlog is corrupted at {}: {}; saved the bytes from "
                        + "there to the end to {} and truncated", where, end.stop().problem(), saved);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the corrupted commitlog tail", e);
            }
        }
        long dropped = commitLog.truncateTail(end.offset());
        if (dropped > 0) {
            LOG.info("commitlog recovered: scanned {} records, valid end {}, dropped {} bytes after it ({})",
                    end.records(), end.offset(), dropped, end.stop().kind());
        }
        return end.offset();
    }

    private void cleanQuietly() {
        try {
            retention.run();
        } catch (RuntimeException e) {
            LOG.error("retention pass failed", e);
        }
    }

    /** Runs one retention pass now (also runs every cleanResourceInterval); returns files deleted. */
    public int runRetention() {
        return retention.run();
    }

    /** Told the new commitlog minimum after retention deleted files (the index trims itself). */
    public void addRetentionListener(java.util.function.LongConsumer listener) {
        retentionListeners.add(listener);
    }

    /** Why writes are refused while the disk is full. */
    public String diskFullReason() {
        return retention.diskFullReason();
    }

    /** Used ratio (0..1) of the commitlog's disk, as the disk guard sees it. */
    public double diskUsedRatio() {
        return retention.usedRatio();
    }

    /** Whether the last stop was a crash (the abort marker was present at start). */
    public boolean recoveredFromCrash() {
        return recoveredFromCrash;
    }

    /**
     * Flushes consume queues (pages when enough are dirty) and the index; every
     * {@code flushConsumeQueueThoroughInterval} it flushes them wholly and only then writes the
     * checkpoint, so the checkpoint never claims more than the disk holds. The dispatched offset is
     * read before the flush: every entry below it is in the flushed files.
     */
    private void flushConsumeQueues() {
        if (health.writeRefusal() != null) {
            return; // after an I/O failure nothing more is forced or checkpointed
        }
        checkpointLock.lock();
        try {
            long now = clock.getAsLong();
            boolean thorough = now - lastThoroughQueueFlush >= config.getFlushConsumeQueueThoroughInterval();
            long dispatched = dispatcher.dispatchedOffset();
            long flushedLog = flusher.flushedOffset();
            queues.flush(thorough ? 0 : config.getFlushConsumeQueueLeastPages());
            flushIndex();
            if (thorough) {
                lastThoroughQueueFlush = now;
                checkpoint.update(now, Math.min(dispatched, flushedLog), flushedLog);
            }
        } catch (RuntimeException | Error e) {
            health.ioFailed("consume queue, index or checkpoint flush", e);
        } finally {
            checkpointLock.unlock();
        }
    }

    /**
     * Waits until slaves hold the log up to an offset (SYNC_MASTER); completes with PUT_OK,
     * SLAVE_NOT_AVAILABLE or FLUSH_SLAVE_TIMEOUT.
     */
    public interface ReplicaWaiter {
        CompletableFuture<PutStatus> await(long offset);
    }

    /** Makes acknowledged appends wait for slaves, as a SYNC_MASTER does. */
    public void setReplicaWaiter(ReplicaWaiter waiter) {
        this.replicaWaiter = waiter;
    }

    /** Told after every append (the HA service sends the new bytes to slaves). */
    public void addAppendListener(Runnable listener) {
        appendListeners.add(listener);
    }

    public void addArrivalListener(ArrivalListener l) {
        dispatcher.addListener(l);
    }

    public MessageStoreConfig config() {
        return config;
    }

    /** Appends one message; completes once it is as durable as the flush mode promises. */
    public CompletableFuture<PutResult> put(MessageToStore m, boolean waitForFlush) {
        PutStatus refused = checkWritable();
        if (refused != null) {
            return CompletableFuture.completedFuture(PutResult.failed(refused));
        }
        PutResult illegal = RecordLimits.refuse(m, config.getMaxMessageSize());
        if (illegal == null && routeDelayed(m)) {
            illegal = RecordLimits.refuse(m, config.getMaxMessageSize()); // with the routing properties
        }
        if (illegal != null) {
            return CompletableFuture.completedFuture(illegal);
        }
        return afterAppend(commitLog.append(m), waitForFlush);
    }

    public DelayLevels delayLevels() {
        return delayLevels;
    }

    /**
     * A consumable message with a {@code DELAY} level waits in {@link DelayLevels#SCHEDULE_TOPIC}
     * queue level-1, remembering its real topic and queue (docs/store-layout.md §13). True when it
     * was rerouted (its properties grew).
     */
    private boolean routeDelayed(MessageToStore m) {
        if (!CommitLog.isConsumable(m.sysFlag)) {
            return false;
        }
        String delay = MessageProperties.get(m.properties, MessageProperties.DELAY);
        int level;
        try {
            level = delay == null ? 0 : Integer.parseInt(delay.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        if (level <= 0) {
            return false;
        }
        level = Math.min(level, delayLevels.maxLevel());
        java.util.Map<String, String> props = MessageProperties.parse(m.properties);
        props.put(MessageProperties.DELAY, String.valueOf(level));
        props.put(MessageProperties.REAL_TOPIC, m.topic);
        props.put(MessageProperties.REAL_QID, String.valueOf(m.queueId));
        m.properties = MessageProperties.format(props);
        m.topic = DelayLevels.SCHEDULE_TOPIC;
        m.queueId = level - 1;
        return true;
    }

    /** Appends a batch of messages of one queue; same durability as {@link #put}. */
    public CompletableFuture<PutResult> putBatch(List<MessageToStore> batch, boolean waitForFlush) {
        PutStatus refused = checkWritable();
        if (refused != null) {
            return CompletableFuture.completedFuture(PutResult.failed(refused));
        }
        for (MessageToStore m : batch) {
            PutResult illegal = RecordLimits.refuse(m, config.getMaxMessageSize());
            if (illegal != null) {
                return CompletableFuture.completedFuture(illegal);
            }
        }
        return afterAppend(commitLog.appendBatch(batch), waitForFlush);
    }

    private PutStatus checkWritable() {
        if (!running) {
            return PutStatus.SERVICE_NOT_AVAILABLE;
        }
        if (config.getBrokerRole() == BrokerRole.SLAVE) {
            return PutStatus.SERVICE_NOT_AVAILABLE;
        }
        if (health.writeRefusal() != null || writeFence.get() != null) {
            return PutStatus.SERVICE_NOT_AVAILABLE;
        }
        if (retention.isDiskFull()) {
            return PutStatus.DISK_FULL;
        }
        return null;
    }

    private CompletableFuture<PutResult> afterAppend(PutResult r, boolean waitForStore) {
        dispatcher.wakeup();
        for (Runnable l : appendListeners) {
            l.run();
        }
        long end = r.wroteOffset() + r.wroteBytes();
        CompletableFuture<PutStatus> flushed = config.getFlushDiskType() == FlushDiskType.SYNC_FLUSH && waitForStore
                ? flusher.awaitFlush(end).thenApply(ok -> ok ? PutStatus.PUT_OK : PutStatus.FLUSH_DISK_TIMEOUT)
                : CompletableFuture.completedFuture(PutStatus.PUT_OK);
        ReplicaWaiter replicas = replicaWaiter;
        CompletableFuture<PutStatus> replicated = replicas != null && waitForStore
                ? replicas.await(end) : CompletableFuture.completedFuture(PutStatus.PUT_OK);
        // when both fail, the replica outcome is reported, as RocketMQ does
        return flushed.thenCombine(replicated, (f, rep) -> rep != PutStatus.PUT_OK ? rep : f)
                .thenApply(status -> status == PutStatus.PUT_OK && health.writeRefusal() != null
                        ? PutStatus.SERVICE_NOT_AVAILABLE : status) // no SEND_OK after an I/O failure
                .thenApply(status -> status == PutStatus.PUT_OK ? r : r.withStatus(status));
    }

    /** Why writes are refused after an I/O failure (until restart), else null. */
    public String writeRefusal() {
        return health.writeRefusal();
    }

    /** Failures that make the store unfit to serve: I/O, halted dispatch, dead store threads. */
    public StoreHealth health() {
        return health;
    }

    /** Appends bytes replicated from the master at {@code offset} (slave). */
    public void appendReplicated(long offset, ByteBuffer data) {
        String refusal = health.writeRefusal();
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
        commitLog.appendReplicated(offset, data);
        dispatcher.wakeup();
    }

    /**
     * Up to {@code maxBytes} published commitlog bytes from {@code offset}, within one file, held until
     * the caller releases them; null if none.
     */
    public SelectedRegion selectCommitLog(long offset, int maxBytes) {
        return commitLog.selectFrom(offset, maxBytes);
    }

    /**
     * Copies commitlog bytes {@code [from, to)} to {@code <dir>/<from>-<to>.bin} and forces it; returns the
     * file. For bytes about to be truncated (a divergent slave tail, a corrupted log being salvaged).
     */
    public Path saveCommitLogRange(long from, long to, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(from + "-" + to + ".bin");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long pos = from;
            while (pos < to) {
                try (SelectedRegion r = commitLog.selectFrom(pos, (int) Math.min(1 << 20, to - pos))) {
                    if (r == null) {
                        break;
                    }
                    ByteBuffer b = r.buffer();
                    int n = b.remaining();
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                    pos += n;
                }
            }
            out.force(true);
        }
        return file;
    }

    /**
     * CRC32 of commitlog bytes {@code [from, to)}, or -1 when any of them is not in the log (deleted by
     * retention, or beyond its end). What master and slave compare where their logs meet (replication.md §9.2).
     */
    public long commitLogCrc(long from, long to) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        long pos = from;
        while (pos < to) {
            try (SelectedRegion r = commitLog.selectFrom(pos, (int) Math.min(1 << 20, to - pos))) {
                if (r == null) {
                    return -1;
                }
                int n = r.buffer().remaining();
                crc.update(r.buffer());
                pos += n;
            }
        }
        return crc.getValue();
    }

    /**
     * A second reason to refuse writes, besides I/O failure: a master whose slave holds data it lacks
     * (replication.md §9.3). {@code fence} returns the remark, or null while writes are accepted.
     */
    public void setWriteFence(java.util.function.Supplier<String> fence) {
        this.writeFence = fence;
    }

    /** Why a write is refused now by the fence, or null. */
    public String fenceRefusal() {
        return writeFence.get();
    }

    public int commitLogFileSize() {
        return commitLog.fileSize();
    }

    /**
     * Drops the commitlog after {@code offset} and the consume-queue entries that point there
     * (a slave whose master lost that tail). Returns the dropped bytes' count.
     */
    public long truncateCommitLog(long offset) {
        long dropped = commitLog.maxOffset() - offset;
        checkpointLock.lock();
        try {
            dispatcher.exclusively(() -> {
                // queues must know every record below the cut, or the next offsets handed out after it
                // would reuse queue offsets of records the dispatcher had not reached yet
                dispatcher.catchUp();
                commitLog.truncateTo(offset);
                queues.truncateAfter(offset);
                if (index != null) {
                    index.truncateFrom(offset);
                }
                dispatcher.setDispatchedOffset(Math.min(dispatcher.dispatchedOffset(), offset));
                commitLog.setQueueOffsets(queues.nextOffsets());
                flusher.lowerFlushedOffset(offset);
                checkpoint.lowerTo(offset);
            });
        } finally {
            checkpointLock.unlock();
        }
        return dropped;
    }

    /**
     * Reads up to {@code maxMsgNums} messages of a queue from {@code offset} that pass the filter,
     * with RocketMQ's scan and transfer limits (docs/remoting.md §10.5).
     */
    public GetResult get(String topic, int queueId, long offset, int maxMsgNums, MessageFilter filter) {
        ConsumeQueue cq = queues.find(topic, queueId);
        if (cq == null) {
            return empty(GetStatus.NO_MATCHED_LOGIC_QUEUE, 0, 0, 0);
        }
        long min = cq.minOffset();
        long max = cq.maxOffset();
        if (max == 0) {
            return empty(GetStatus.NO_MESSAGE_IN_QUEUE, 0, min, max);
        }
        if (offset < min) {
            return empty(GetStatus.OFFSET_TOO_SMALL, min, min, max);
        }
        if (offset == max) {
            return empty(GetStatus.OFFSET_OVERFLOW_ONE, offset, min, max);
        }
        if (offset > max) {
            return empty(GetStatus.OFFSET_OVERFLOW_BADLY, max, min, max);
        }
        int maxScanEntries = Math.max(16000, maxMsgNums * ConsumeQueue.ENTRY_SIZE) / ConsumeQueue.ENTRY_SIZE;
        ByteBuffer entries = cq.entries(offset, maxScanEntries);
        if (entries == null) {
            return empty(GetStatus.OFFSET_FOUND_NULL, cq.nextFileStart(offset), min, max);
        }
        long commitLogMax = commitLog.maxOffset();
        long memoryBudget = PHYSICAL_MEMORY * config.getAccessMessageInMemoryMaxRatio() / 100;
        List<SelectedRegion> records = new ArrayList<>();
        int totalBytes = 0;
        int scanned = 0;
        boolean removed = false;
        long lastPhys = -1;
        int n = entries.remaining() / ConsumeQueue.ENTRY_SIZE;
        for (int i = 0; i < n; i++) {
            int at = i * ConsumeQueue.ENTRY_SIZE;
            long phys = entries.getLong(at);
            int size = entries.getInt(at + 8);
            long tagsCode = entries.getLong(at + 12);
            scanned++;
            lastPhys = phys;
            boolean inMemory = commitLogMax - phys <= memoryBudget;
            if (!records.isEmpty() && isFull(records.size(), totalBytes + size, inMemory)) {
                scanned--;
                break;
            }
            if (size == Integer.MAX_VALUE || !filter.matchesTagsCode(tagsCode)) {
                continue;
            }
            SelectedRegion record = commitLog.select(phys, size);
            if (record == null) {
                removed = true;
                continue;
            }
            if (!filter.matchesRecord(record.buffer())) {
                record.release();
                continue;
            }
            records.add(record);
            totalBytes += size;
            if (records.size() >= maxMsgNums) {
                break;
            }
        }
        long next = offset + scanned;
        GetStatus status = !records.isEmpty() ? GetStatus.FOUND
                : removed ? GetStatus.MESSAGE_WAS_REMOVING : GetStatus.NO_MATCHED_MESSAGE;
        boolean cold = lastPhys >= 0 && commitLogMax - lastPhys > memoryBudget;
        return new GetResult(status, next, min, max, records, totalBytes, cold);
    }

    /** Transfer limits: hot data may fill a bigger response than data that must come from disk. */
    private boolean isFull(int count, int bytesWithNext, boolean inMemory) {
        if (inMemory) {
            return bytesWithNext > config.getMaxTransferBytesOnMessageInMemory()
                    || count >= config.getMaxTransferCountOnMessageInMemory();
        }
        return bytesWithNext > config.getMaxTransferBytesOnMessageInDisk()
                || count >= config.getMaxTransferCountOnMessageInDisk();
    }

    private static long physicalMemory() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }

    private static GetResult empty(GetStatus status, long next, long min, long max) {
        return new GetResult(status, next, min, max, List.of(), 0, false);
    }

    /** Number of queues the store holds for {@code topic} (highest queue id + 1), 0 when none. */
    public int queueCount(String topic) {
        int n = 0;
        for (ConsumeQueue cq : queues.all()) {
            if (cq.topic().equals(topic)) {
                n = Math.max(n, cq.queueId() + 1);
            }
        }
        return n;
    }

    public long maxOffset(String topic, int queueId) {
        ConsumeQueue cq = queues.find(topic, queueId);
        return cq == null ? 0 : cq.maxOffset();
    }

    public long minOffset(String topic, int queueId) {
        ConsumeQueue cq = queues.find(topic, queueId);
        return cq == null ? 0 : cq.minOffset();
    }

    /** One consume-queue entry: where the message is and its tag code (a deliver time in the schedule topic). */
    public record QueueEntry(long commitLogOffset, int size, long tagsCode) {
    }

    /** The entry at {@code queueOffset}, or null when it is not (or no longer) there. */
    public QueueEntry entry(String topic, int queueId, long queueOffset) {
        ConsumeQueue cq = queues.find(topic, queueId);
        if (cq == null || queueOffset < cq.minOffset()) {
            return null;
        }
        ByteBuffer e = cq.entries(queueOffset, 1);
        return e == null ? null : new QueueEntry(e.getLong(0), e.getInt(8), e.getLong(12));
    }

    /** The decoded message stored at {@code commitLogOffset}, or null. */
    public StoredMessage messageAt(long commitLogOffset) {
        ByteBuffer record = commitLog.readRecord(commitLogOffset);
        return record == null ? null : StoredMessage.decode(record);
    }

    /** Store timestamp of the message at {@code queueOffset}, or -1. */
    public long storeTime(String topic, int queueId, long queueOffset) {
        ConsumeQueue cq = queues.find(topic, queueId);
        if (cq == null) {
            return -1;
        }
        ByteBuffer e = cq.entries(queueOffset, 1);
        if (e == null) {
            return -1;
        }
        ByteBuffer record = commitLog.read(e.getLong(0), e.getInt(8));
        if (record == null) {
            return -1;
        }
        return record.getLong(MessageRecord.storeTimestampOffset(record.getInt(MessageRecord.SYS_FLAG)));
    }

    /** Whether the queue's first message is no longer in the hot part of the commitlog. */
    public boolean isColdFromStart(String topic, int queueId) {
        ConsumeQueue cq = queues.find(topic, queueId);
        if (cq == null || cq.maxOffset() == 0) {
            return false;
        }
        ByteBuffer e = cq.entries(cq.minOffset(), 1);
        long budget = PHYSICAL_MEMORY * config.getAccessMessageInMemoryMaxRatio() / 100;
        return e != null && commitLog.maxOffset() - e.getLong(0) > budget;
    }

    public long earliestStoreTime(String topic, int queueId) {
        return storeTime(topic, queueId, minOffset(topic, queueId));
    }

    /**
     * The queue offset whose store time equals {@code timestamp}, else the nearer of the two
     * neighbouring messages (the earlier on a tie): before the first message that is the first, after
     * the last it is the last (not the max offset); 0 for an empty queue. Binary search over the
     * consume queue (docs/remoting.md §5 SEARCH_OFFSET_BY_TIMESTAMP, RocketMQ's getOffsetInQueueByTime).
     */
    public long offsetByTime(String topic, int queueId, long timestamp) {
        long first = minOffset(topic, queueId);
        long last = maxOffset(topic, queueId) - 1;
        if (last < first) {
            return 0;
        }
        // the first offset stored at or after timestamp, last + 1 if none
        long lo = first;
        long hi = last + 1;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (storeTime(topic, queueId, mid) < timestamp) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo > last) {
            return last;
        }
        long atOrAfter = storeTime(topic, queueId, lo);
        if (atOrAfter == timestamp || lo == first) {
            return lo;
        }
        long before = storeTime(topic, queueId, lo - 1);
        return timestamp - before > atOrAfter - timestamp ? lo : lo - 1;
    }

    /** One stored record by commitlog offset (VIEW_MESSAGE_BY_ID), or null. */
    public ByteBuffer recordAt(long commitLogOffset) {
        return commitLog.readRecord(commitLogOffset);
    }

    public long commitLogMinOffset() {
        return commitLog.minOffset();
    }

    public long commitLogMaxOffset() {
        return commitLog.maxOffset();
    }

    /** Commitlog offset up to which bytes are forced to disk. */
    public long flushedOffset() {
        return flusher.flushedOffset();
    }

    public long dispatchBehindBytes() {
        return commitLog.maxOffset() - dispatcher.dispatchedOffset();
    }

    /**
     * Deletes a topic's consume queues (its commitlog records age out with retention). Serialised with
     * appends and dispatch; readers of the queues keep their files mapped until they are done.
     */
    public void deleteTopic(String topic) {
        // lock order as in truncateCommitLog: dispatch, then appends
        dispatcher.exclusively(() -> commitLog.exclusively(() -> {
            // every record of the topic appended so far goes to the queues being deleted: after the
            // reset below its queue offsets start again at 0, and an old record dispatched later would
            // land among the new topic's entries
            dispatcher.catchUp();
            queues.delete(topic);
            commitLog.removeQueueOffsets(topic);
        }));
    }

    /**
     * Index lookup of {@code topic#key} (QUERY_MESSAGE): commitlog offsets of candidate records stored
     * in [begin, end], at most maxNum (and 64); nothing when messageIndexEnable=false.
     */
    public IndexQueryResult queryIndex(String topic, String key, int maxNum, long begin, long end) {
        return index == null ? IndexQueryResult.EMPTY
                : index.query(topic, key, maxNum, begin, end, config.getIndexQueryMaxChainSteps());
    }

    /** Deletes the index files whose records all lie below {@code commitLogMinOffset} (retention); returns how many. */
    public int deleteIndexFilesBefore(long commitLogMinOffset) {
        return index == null ? 0 : index.deleteFilesBefore(commitLogMinOffset);
    }

    /** Forces the index before the checkpoint moves past what it holds, and records indexMsgTimestamp. */
    private void flushIndex() {
        if (index != null) {
            long indexed = index.flush();
            if (indexed > 0) {
                checkpoint.setIndexMsgTimestamp(indexed);
            }
        }
    }

    /** Stops the threads, flushes everything, writes the checkpoint and removes the abort marker. */
    public void shutdown() {
        if (!running) {
            return;
        }
        running = false;
        stopScheduler();
        // let the dispatcher finish what was appended before it stops
        long deadline = System.currentTimeMillis() + 5000;
        while (dispatcher.dispatchedOffset() < commitLog.maxOffset() && System.currentTimeMillis() < deadline) {
            dispatcher.wakeup();
            Thread.onSpinWait();
        }
        dispatcher.stop();
        flusher.stop();
        joinStoreThreads();
        if (health.writeRefusal() == null) {
            try {
                queues.flush(0);
                flushIndex();
                long flushedLog = flusher.flushedOffset();
                checkpoint.update(clock.getAsLong(), Math.min(dispatcher.dispatchedOffset(), flushedLog), flushedLog);
            } catch (RuntimeException e) {
                health.ioFailed("final flush", e);
            }
        }
        checkpoint.close();
        try {
            queues.close();
            if (index != null) {
                index.close();
            }
            commitLog.close();
        } catch (RuntimeException e) {
            health.ioFailed("final flush", e);
        }
        boolean clean = health.writeRefusal() == null;
        try {
            if (clean) {
                Files.deleteIfExists(root.resolve("abort"));
            }
            fileLock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("cannot release store lock", e);
        }
        if (clean) {
            LOG.info("store {} shut down cleanly", root);
        } else {
            LOG.error("store {} shut down after an I/O failure: the abort marker stays, the next start recovers "
                    + "from what is on disk", root);
        }
    }

    /**
     * Drops every mapping without forcing and releases the lock: after a start that failed in
     * recovery (nothing on disk changes) and in {@link #abandon()}.
     */
    private void releaseWithoutFlushing() {
        queues.abandon();
        if (index != null) {
            index.abandon();
        }
        commitLog.abandon();
        checkpoint.close();
        try {
            fileLock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("cannot release store lock", e);
        }
    }

    /** Waits for the stopped dispatcher and flusher: their files are unmapped next. */
    private void joinStoreThreads() {
        try {
            dispatchThread.join(10_000);
            flushThread.interrupt();
            flushThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the periodic flush and retention tasks and waits for a running one to finish. */
    private void stopScheduler() {
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("a store maintenance task did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the store as if its process died: threads stop, nothing more is flushed or checkpointed,
     * the {@code abort} marker stays and the mappings are dropped without forcing (what the page cache
     * holds is what a new store on the same directory sees). Crash tests use it to restart in-process.
     */
    public void abandon() {
        running = false;
        stopScheduler();
        dispatcher.stop();
        flusher.abandon();
        joinStoreThreads();
        releaseWithoutFlushing();
    }
}
