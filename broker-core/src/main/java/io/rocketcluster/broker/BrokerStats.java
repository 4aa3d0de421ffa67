package io.rocketcluster.broker;

import java.util.concurrent.atomic.LongAdder;

/** Running totals of messages stored and delivered. Thread-safe. */
public final class BrokerStats {
    private final LongAdder putMessages = new LongAdder();
    private final LongAdder getMessages = new LongAdder();
    private final long bootTimestamp = System.currentTimeMillis();
    /** Windows, day marks and per-topic / per-group numbers for the admin tools. */
    private final io.rocketcluster.broker.stats.TrafficStats traffic = new io.rocketcluster.broker.stats.TrafficStats();

    public void recordPut(int messages) {
        putMessages.add(messages);
        traffic.put(messages);
    }

    /** Messages that reached {@code topic}'s consume queues (TOPIC_PUT_NUMS). */
    public void recordTopicPut(String topic, int messages) {
        traffic.topicPut(topic, messages);
    }

    /** Messages one pull of {@code group} returned from {@code topic} (GROUP_GET_NUMS). */
    public void recordGet(String group, String topic, int messages) {
        getMessages.add(messages);
        traffic.groupGet(group, topic, messages);
    }

    public io.rocketcluster.broker.stats.TrafficStats traffic() {
        return traffic;
    }

    public void recordGet(int messages) {
        getMessages.add(messages);
    }

    public long putMessages() {
        return putMessages.sum();
    }

    public long getMessages() {
        return getMessages.sum();
    }

    public long bootTimestamp() {
        return bootTimestamp;
    }
}
