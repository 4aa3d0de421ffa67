package io.rocketcluster.broker.client;

import io.rocketcluster.remoting.data.MessageQueue;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Queue locks for orderly consumption (docs/remoting.md §10.2): a queue is granted to a client if free,
 * expired ({@code rocketmq.broker.rebalance.lockMaxLiveTime}, 60 s) or already held by it.
 * Thread-safe.
 */
public final class RebalanceLockManager {
    private static final long LOCK_MAX_LIVE_MILLIS =
            Long.getLong("rocketmq.broker.rebalance.lockMaxLiveTime", 60000);

    private record Lock(String clientId, long lastUpdate) {
    }

    private final Map<String, Map<MessageQueue, Lock>> locks = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public RebalanceLockManager(LongSupplier clock) {
        this.clock = clock;
    }

    public synchronized Set<MessageQueue> tryLock(String group, Set<MessageQueue> mqs, String clientId) {
        Map<MessageQueue, Lock> table = locks.computeIfAbsent(group, g -> new ConcurrentHashMap<>());
        long now = clock.getAsLong();
        Set<MessageQueue> granted = new LinkedHashSet<>();
        for (MessageQueue mq : mqs) {
            Lock l = table.get(mq);
            if (l == null || l.clientId.equals(clientId) || now - l.lastUpdate > LOCK_MAX_LIVE_MILLIS) {
                table.put(mq, new Lock(clientId, now));
                granted.add(mq);
            }
        }
        return granted;
    }

    public synchronized void unlock(String group, Set<MessageQueue> mqs, String clientId) {
        Map<MessageQueue, Lock> table = locks.get(group);
        if (table == null) {
            return;
        }
        for (MessageQueue mq : mqs) {
            Lock l = table.get(mq);
            if (l != null && l.clientId.equals(clientId)) {
                table.remove(mq);
            }
        }
    }
}
