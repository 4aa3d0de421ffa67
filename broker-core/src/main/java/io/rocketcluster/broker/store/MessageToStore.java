package io.rocketcluster.broker.store;

import java.net.InetSocketAddress;

/** A message as the broker hands it to the store; the store assigns offsets and store time. */
public final class MessageToStore {
    public String topic;
    public int queueId;
    public int flag;
    public byte[] body;
    /** RocketMQ properties string (docs/store-layout.md §3.1). */
    public String properties;
    public long bornTimestamp;
    public InetSocketAddress bornHost;
    public InetSocketAddress storeHost;
    public int sysFlag;
    public int reconsumeTimes;
    public long preparedTransactionOffset;
}
