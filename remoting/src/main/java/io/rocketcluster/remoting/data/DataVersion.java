package io.rocketcluster.remoting.data;

import java.util.Objects;

/** Version of a broker's topic (or group) table: equal when counter and timestamp are equal. */
public class DataVersion {
    public long counter;
    public long timestamp;

    public DataVersion() {
    }

    public DataVersion(long counter, long timestamp) {
        this.counter = counter;
        this.timestamp = timestamp;
    }

    public DataVersion copy() {
        return new DataVersion(counter, timestamp);
    }

    /** Advances to the next version at {@code nowMillis}. */
    public synchronized void next(long nowMillis) {
        counter++;
        timestamp = nowMillis;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataVersion d && d.counter == counter && d.timestamp == timestamp;
    }

    @Override
    public int hashCode() {
        return Objects.hash(counter, timestamp);
    }

    @Override
    public String toString() {
        return "DataVersion[counter=" + counter + ", timestamp=" + timestamp + "]";
    }
}
