package io.rocketcluster.broker.store.index;

import java.util.List;

/**
 * What an index lookup found: the commitlog offsets of candidate records (ascending, distinct; hash
 * collisions included), plus the newest index file's endTimestamp and endPhyOffset, which
 * QUERY_MESSAGE reports as indexLastUpdateTimestamp / indexLastUpdatePhyoffset. {@code cutShort}: the
 * walk reached its step bound, so older candidates may exist.
 */
public record IndexQueryResult(List<Long> offsets, long indexLastUpdateTimestamp, long indexLastUpdatePhyoffset,
                               boolean cutShort) {
    public static final IndexQueryResult EMPTY = new IndexQueryResult(List.of(), 0, 0, false);
}
