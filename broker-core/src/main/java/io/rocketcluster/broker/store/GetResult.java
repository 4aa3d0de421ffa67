package io.rocketcluster.broker.store;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Records read for a pull, with the offsets the response reports. The records are held regions of
 * the commitlog: the caller reads them (or hands them to Netty) and then calls {@link #release()}
 * once, after which they must not be read.
 */
public record GetResult(GetStatus status, long nextBeginOffset, long minOffset, long maxOffset,
                        List<SelectedRegion> regions, int totalBytes, boolean suggestPullingFromSlave) {
    public int messageCount() {
        return regions.size();
    }

    /** The records' bytes; valid until {@link #release()}. */
    public List<ByteBuffer> records() {
        return regions.stream().map(SelectedRegion::buffer).toList();
    }

    /** Lets the commitlog files go. */
    public void release() {
        regions.forEach(SelectedRegion::release);
    }
}
