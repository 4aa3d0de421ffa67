package io.rocketcluster.remoting.data;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.SerializerProvider;

import java.io.IOException;

/**
 * Map keys of type {@link MessageQueue} (ConsumeStats, TopicStatsTable, ResetOffsetBody): fastjson
 * writes them as a raw object in key position, which is not JSON; every 4.x/5.x client also accepts
 * the key as a JSON <em>string</em> holding that object (docs/remoting.md §11 item 4), which is what
 * {@link Serializer} writes: {@code "{\"brokerName\":\"b\",\"queueId\":0,\"topic\":\"t\"}"}.
 * {@link Deserializer} reads that form back.
 */
public final class MessageQueueKeys {
    private MessageQueueKeys() {
    }

    /** The key text for {@code mq}: the queue as a compact JSON object, properties in fastjson's order. */
    public static String encode(MessageQueue mq) {
        return new String(Json.encode(mq), java.nio.charset.StandardCharsets.UTF_8);
    }

    public static final class Serializer extends JsonSerializer<MessageQueue> {
        @Override
        public void serialize(MessageQueue mq, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeFieldName(encode(mq));
        }
    }

    public static final class Deserializer extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            MessageQueue mq = Json.decode(key, MessageQueue.class);
            if (mq == null) {
                // "null" (or "null" and anything): no queue, and a null key no map can write back
                throw ctxt.weirdKeyException(MessageQueue.class, key, "not a message queue");
            }
            return mq;
        }
    }
}
