package io.rocketcluster.remoting.data;

/**
 * One queue in QUERY_CONSUME_TIME_SPAN: store times of its first and last message and of the last
 * consumed one, and how long the next unconsumed message has waited (0 when caught up).
 */
public class QueueTimeSpan {
    public MessageQueue messageQueue;
    public long minTimeStamp;
    public long maxTimeStamp;
    public long consumeTimeStamp;
    public long delayTime;
}
