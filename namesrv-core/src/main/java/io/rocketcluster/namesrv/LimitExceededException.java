package io.rocketcluster.namesrv;

/**
 * A request would take the nameserver past one of its bounds; the message names the key and is the
 * remark of the SYSTEM_ERROR answer. Nothing of the request was applied.
 */
public final class LimitExceededException extends RuntimeException {
    public LimitExceededException(String message) {
        super(message);
    }
}
