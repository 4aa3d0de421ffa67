package io.rocketcluster.broker;

import java.util.concurrent.atomic.LongAdder;

/** Running totals of messages stored and delivered. Thread-safe. */
public final class BrokerStats {
    private final LongAdder putMessages = new LongAdder();
    private final LongAdder getMessages = new LongAdder();
    private final long bootTimestamp = System.currentTimeMillis();

    public void recordPut(int messages) {
        putMessages.add(messages);
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
