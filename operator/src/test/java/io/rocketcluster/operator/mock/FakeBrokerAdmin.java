package io.rocketcluster.operator.mock;

import io.rocketcluster.operator.reconcile.BrokerAdmin;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Brokers as the operator would find them over the wire: a backlog per address; unknown = unreachable. */
public final class FakeBrokerAdmin implements BrokerAdmin {
    public final Map<String, Long> backlog = new ConcurrentHashMap<>();
    public final Set<String> readOnly = ConcurrentHashMap.newKeySet();
    public final Set<String> madeWritable = ConcurrentHashMap.newKeySet();

    @Override
    public long unconsumedMessages(String brokerAddr) {
        Long b = backlog.get(brokerAddr);
        if (b == null) {
            throw new IllegalStateException("connect to " + brokerAddr + " failed");
        }
        return b;
    }

    @Override
    public void makeReadOnly(String brokerAddr) {
        if (!backlog.containsKey(brokerAddr)) {
            throw new IllegalStateException("connect to " + brokerAddr + " failed");
        }
        readOnly.add(brokerAddr);
    }

    @Override
    public void makeWritable(String brokerAddr) {
        if (!backlog.containsKey(brokerAddr)) {
            throw new IllegalStateException("connect to " + brokerAddr + " failed");
        }
        readOnly.remove(brokerAddr);
        madeWritable.add(brokerAddr);
    }
}
