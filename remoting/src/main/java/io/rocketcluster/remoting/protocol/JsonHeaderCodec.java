package io.rocketcluster.remoting.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The JSON header (docs/remoting.md §2.1): compact, fields in alphabetical order, nulls omitted, extFields
 * as strings. Decoding accepts any field order, unknown fields and non-string extFields values; an object or
 * array where a single value belongs (code, version, opaque, flag, remark, language) is a protocol error.
 */
final class JsonHeaderCodec {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final Set<String> SINGLE_VALUE_FIELDS = Set.of("code", "version", "opaque", "flag", "remark",
            "language");

    private JsonHeaderCodec() {
    }

    static byte[] encode(RemotingCommand cmd) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(256);
             JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("code", cmd.code());
            if (cmd.hasExtFields()) {
                g.writeObjectFieldStart("extFields");
                for (Map.Entry<String, String> e : cmd.extFields().entrySet()) {
                    if (e.getValue() != null) {
                        g.writeStringField(e.getKey(), e.getValue());
                    }
                }
                g.writeEndObject();
            }
            g.writeNumberField("flag", cmd.flag());
            g.writeStringField("language", cmd.language().name());
            g.writeNumberField("opaque", cmd.opaque());
            if (cmd.remark() != null) {
                g.writeStringField("remark", cmd.remark());
            }
            g.writeStringField("serializeTypeCurrentRPC", "JSON");
            g.writeNumberField("version", cmd.version());
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new RemotingProtocolException("cannot encode JSON header", e);
        }
    }

    static RemotingCommand decode(byte[] header) {
        int code = 0;
        int version = 0;
        int opaque = 0;
        int flag = 0;
        String remark = null;
        LanguageCode language = LanguageCode.OTHER;
        Map<String, String> ext = null;
        try (JsonParser p = JSON.createParser(header)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new RemotingProtocolException("JSON header is not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (t.isStructStart() && SINGLE_VALUE_FIELDS.contains(name)) {
                    // read on, its fields would pass for the header's own and its end for the header's
                    throw new RemotingProtocolException("JSON header field <" + name + "> is not a single value");
                }
                switch (name) {
                    case "code" -> code = p.getValueAsInt();
                    case "version" -> version = p.getValueAsInt();
                    case "opaque" -> opaque = p.getValueAsInt();
                    case "flag" -> flag = p.getValueAsInt();
                    case "remark" -> remark = t == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    case "language" -> language = LanguageCode.fromName(p.getValueAsString());
                    case "extFields" -> ext = readExtFields(p, t);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new RemotingProtocolException("unparsable JSON header: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
        return RemotingCommand.decoded(code, language, version, opaque, flag, remark, ext);
    }

    private static Map<String, String> readExtFields(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            throw new RemotingProtocolException("extFields is not an object");
        }
        Map<String, String> ext = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                p.skipChildren();
            } else if (v != JsonToken.VALUE_NULL) {
                ext.put(key, p.getValueAsString());
            }
        }
        return ext;
    }
}
