package io.rocketcluster.remoting.data;

/** One queue's offsets in GET_TOPIC_STATS_INFO: min and max offset and the store time of the last message. */
public class TopicOffset {
    public long minOffset;
    public long maxOffset;
    public long lastUpdateTimestamp;

    public TopicOffset() {
    }

    public TopicOffset(long minOffset, long maxOffset, long lastUpdateTimestamp) {
        this.minOffset = minOffset;
        this.maxOffset = maxOffset;
        this.lastUpdateTimestamp = lastUpdateTimestamp;
    }
}
