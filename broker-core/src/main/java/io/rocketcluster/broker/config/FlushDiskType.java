package io.rocketcluster.broker.config;

/** When an appended message counts as stored (broker.conf {@code flushDiskType}). */
public enum FlushDiskType {
    /** Acknowledge after the append; a background thread flushes every {@code flushIntervalCommitLog} ms. */
    ASYNC_FLUSH,
    /** Acknowledge only after the bytes are forced to disk (group commit). */
    SYNC_FLUSH
}
