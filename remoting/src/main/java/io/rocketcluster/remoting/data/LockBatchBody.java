package io.rocketcluster.remoting.data;

import java.util.LinkedHashSet;
import java.util.Set;

/** LOCK_BATCH_MQ / UNLOCK_BATCH_MQ request body. */
public class LockBatchBody {
    public String consumerGroup;
    public String clientId;
    public boolean onlyThisBroker;
    public Set<MessageQueue> mqSet = new LinkedHashSet<>();
}
