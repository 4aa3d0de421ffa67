package io.rocketcluster.broker.store;

import java.nio.ByteBuffer;

/** Decides which messages a pull returns: first on the consume-queue tag code, then on the record. */
public interface MessageFilter {
    MessageFilter ALL = tagsCode -> true;

    boolean matchesTagsCode(long tagsCode);

    default boolean matchesRecord(ByteBuffer record) {
        return true;
    }
}
