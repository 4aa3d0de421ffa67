package io.rocketcluster.remoting.data;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.LinkedHashMap;
import java.util.Map;

/** GET_TOPIC_STATS_INFO response body (docs/remoting.md §7). */
public class TopicStatsTable {
    @JsonSerialize(keyUsing = MessageQueueKeys.Serializer.class)
    @JsonDeserialize(keyUsing = MessageQueueKeys.Deserializer.class)
    public Map<MessageQueue, TopicOffset> offsetTable = new LinkedHashMap<>();
}
