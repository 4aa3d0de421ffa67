package io.rocketcluster.remoting.data;

import java.util.LinkedHashSet;
import java.util.Set;

/** LOCK_BATCH_MQ response body: the queues granted. */
public class LockBatchResponseBody {
    public Set<MessageQueue> lockOKMQSet = new LinkedHashSet<>();
}
