package io.rocketcluster.broker.store;

/** Outcome of a store append. */
public enum PutStatus {
    PUT_OK,
    FLUSH_DISK_TIMEOUT,
    FLUSH_SLAVE_TIMEOUT,
    SLAVE_NOT_AVAILABLE,
    SERVICE_NOT_AVAILABLE,
    /** The disk is above diskMaxUsedSpaceRatio and retention cannot free more: nothing was written. */
    DISK_FULL,
    MESSAGE_ILLEGAL,
    PROPERTIES_SIZE_EXCEEDED,
    UNKNOWN_ERROR
}
