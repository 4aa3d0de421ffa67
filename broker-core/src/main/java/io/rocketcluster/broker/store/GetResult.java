package io.rocketcluster.broker.store;

import java.nio.ByteBuffer;
import java.util.List;

/** Records read for a pull, with the offsets the response reports. */
public record GetResult(GetStatus status, long nextBeginOffset, long minOffset, long maxOffset,
                        List<ByteBuffer> records, int totalBytes, boolean suggestPullingFromSlave) {
    public int messageCount() {
        return records.size();
    }
}
