package io.rocketcluster.broker.store;

/**
 * Recovery found bytes that cannot be a record below the offset the checkpoint recorded as forced to
 * disk: not a torn write but corruption in the middle of the log. The store does not start, so that
 * nothing acknowledged is truncated away; README "Salvaging a corrupted store" says what to do.
 */
public final class StoreCorruptedException extends IllegalStateException {
    private final long offset;

    public StoreCorruptedException(String message, long offset) {
        super(message);
        this.offset = offset;
    }

    /** Commitlog offset of the first bad byte. */
    public long offset() {
        return offset;
    }
}
