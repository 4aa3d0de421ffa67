package io.rocketcluster.broker.store;

/** Told by the dispatcher when a consume queue grows (wakes held long-poll pulls). */
@FunctionalInterface
public interface ArrivalListener {
    void arrived(String topic, int queueId, long nextQueueOffset, long tagsCode);
}
