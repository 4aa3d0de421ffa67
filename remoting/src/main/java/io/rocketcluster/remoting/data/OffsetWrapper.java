package io.rocketcluster.remoting.data;

/**
 * One queue of a consumer group's progress: the queue's max offset, the group's committed offset and
 * the store time of the last consumed message (0 when unknown).
 */
public class OffsetWrapper {
    public long brokerOffset;
    public long consumerOffset;
    public long lastTimestamp;

    public OffsetWrapper() {
    }

    public OffsetWrapper(long brokerOffset, long consumerOffset, long lastTimestamp) {
        this.brokerOffset = brokerOffset;
        this.consumerOffset = consumerOffset;
        this.lastTimestamp = lastTimestamp;
    }
}
