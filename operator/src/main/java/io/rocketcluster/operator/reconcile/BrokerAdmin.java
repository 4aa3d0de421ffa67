package io.rocketcluster.operator.reconcile;

/**
 * What the operator asks a running broker over RocketMQ's wire protocol before removing it. Only
 * scale-in needs it.
 */
public interface BrokerAdmin {
    /** Messages stored on the broker that subscribed consumer groups have not consumed yet. */
    long unconsumedMessages(String brokerAddr) throws Exception;

    /** Stops new writes (brokerPermission=4, read-only) so the broker's consumers can drain it. */
    void makeReadOnly(String brokerAddr) throws Exception;

    /** Undoes {@link #makeReadOnly} (brokerPermission=6, read and write) when a scale-in is cancelled. */
    void makeWritable(String brokerAddr) throws Exception;
}
