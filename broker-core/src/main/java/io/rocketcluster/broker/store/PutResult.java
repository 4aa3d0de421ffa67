package io.rocketcluster.broker.store;

/**
 * Where an append landed. For a batch, {@code wroteOffset}/{@code queueOffset} are those of the
 * first message and {@code msgIds} is comma-separated.
 */
public record PutResult(PutStatus status, long wroteOffset, int wroteBytes, String msgIds, long queueOffset,
                        int messageCount, long storeTimestamp) {
    public static PutResult failed(PutStatus status) {
        return new PutResult(status, -1, 0, null, -1, 0, 0);
    }

    public PutResult withStatus(PutStatus s) {
        return new PutResult(s, wroteOffset, wroteBytes, msgIds, queueOffset, messageCount, storeTimestamp);
    }

    public boolean isStored() {
        return wroteOffset >= 0;
    }
}
