package io.rocketcluster.broker.config;

/** Replication role of a broker (broker.conf {@code brokerRole}). */
public enum BrokerRole {
    ASYNC_MASTER, SYNC_MASTER, SLAVE
}
