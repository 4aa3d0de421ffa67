package io.rocketcluster.remoting.data;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.LinkedHashMap;
import java.util.Map;

/** INVOKE_BROKER_TO_RESET_OFFSET response and RESET_CONSUMER_CLIENT_OFFSET request body: new offset per queue. */
public class ResetOffsetBody {
    @JsonSerialize(keyUsing = MessageQueueKeys.Serializer.class)
    @JsonDeserialize(keyUsing = MessageQueueKeys.Deserializer.class)
    public Map<MessageQueue, Long> offsetTable = new LinkedHashMap<>();
}
