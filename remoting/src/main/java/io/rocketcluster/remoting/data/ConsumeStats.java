package io.rocketcluster.remoting.data;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.LinkedHashMap;
import java.util.Map;

/** GET_CONSUME_STATS response body (docs/remoting.md §7): per-queue progress and the group's pull TPS. */
public class ConsumeStats {
    @JsonSerialize(keyUsing = MessageQueueKeys.Serializer.class)
    @JsonDeserialize(keyUsing = MessageQueueKeys.Deserializer.class)
    public Map<MessageQueue, OffsetWrapper> offsetTable = new LinkedHashMap<>();
    public double consumeTps;

    /** Messages not yet consumed, over all queues. */
    public long totalDiff() {
        return offsetTable.values().stream().mapToLong(o -> o.brokerOffset - o.consumerOffset).sum();
    }
}
