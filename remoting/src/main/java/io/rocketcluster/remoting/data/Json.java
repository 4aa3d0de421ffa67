package io.rocketcluster.remoting.data;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.rocketcluster.remoting.protocol.RemotingProtocolException;

import java.io.IOException;

/**
 * JSON bodies as RocketMQ's fastjson peers read and write them (docs/remoting.md §11): properties in
 * alphabetical order, nulls omitted, unknown properties ignored, unquoted map keys accepted on input,
 * strictly standard JSON on output. Wire types expose public fields.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY)
            .build();
    private static final ObjectMapper PRETTY = MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    public static String pretty(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * Decodes a request or response body, never to null; a malformed body, and one that is JSON's
     * {@code null}, is a protocol error naming the type.
     */
    public static <T> T decode(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw new RemotingProtocolException("missing " + type.getSimpleName() + " body");
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw new RemotingProtocolException("missing " + type.getSimpleName() + " body (JSON null)");
            }
            return value;
        } catch (IOException e) {
            throw new RemotingProtocolException("malformed " + type.getSimpleName() + " body: "
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }

    public static <T> T decode(String text, Class<T> type) throws IOException {
        return MAPPER.readValue(text, type);
    }
}
