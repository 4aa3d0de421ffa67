package io.rocketcluster.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rocketcluster.namesrv.processor.RegisterBrokerBodyCodec;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.RegisterBrokerBody;
import io.rocketcluster.remoting.data.TopicConfig;
import io.rocketcluster.remoting.protocol.RemotingProtocolException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import static io.rocketcluster.fuzz.Checks.check;
import static io.rocketcluster.fuzz.Checks.checkEqual;
import static io.rocketcluster.fuzz.Checks.expectOnly;

/**
 * The REGISTER_BROKER body the nameserver decodes (docs/remoting.md §4.4): {@link RegisterBrokerBodyCodec#decode}
 * for plain JSON and for the zlib-compressed form Apache brokers send with {@code compressedRegister=true}.
 */
class RegisterBrokerBodyFuzzTest {
    /**
     * Input: a plain (JSON) body. Only RemotingProtocolException escapes; the decoded body is what the route table
     * can take: a topic table with a version, topic configs that are there (not null) and a filter server list
     * without null entries.
     */
    @DictionaryEntries({"\"topicConfigSerializeWrapper\"", "\"topicConfigTable\"", "\"dataVersion\"",
        "\"counter\"", "\"timestamp\"", "\"filterServerList\"", "\"topicName\"", "\"readQueueNums\"",
        "\"perm\"", "{", "}", "[", "]", ":", ",", "\"", "null", "true", "false", "-1", "1e99", "\\u0000"})
    @FuzzTest(maxDuration = "30s")
    void plainBody(byte[] body) {
        RegisterBrokerBody decoded = decode(body, false);
        if (decoded != null && Checks.isWellFormedJson(body)) {
            RegisterBrokerBody again = decode(Json.encode(decoded), false);
            check(again != null, "the encoding of a decoded body does not decode");
            checkEqual(new String(Json.encode(decoded)), new String(Json.encode(again)), "body after re-encoding");
        }
    }

    /**
     * Input: one mode byte, then for an odd mode the inflated content (the harness deflates it, so the fuzzer
     * works on the structure), for an even one the compressed body as sent (the inflater's own input). Besides the
     * invariants of {@link #plainBody}: a decoded body encodes compressed and decodes back to the same topics,
     * version and filter servers.
     */
    @DictionaryEntries({"\"counter\"", "\"timestamp\"", " 1 1 6 SINGLE_TAG", " 16 16 6 SINGLE_TAG attr",
        "\u0000\u0000\u0000\u0000", "\u0000\u0000\u0000\u0001", "{", "}", "[", "]", ":", ",", "\"", "null",
        "-1"})
    @FuzzTest(maxDuration = "30s")
    void compressedBody(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        byte[] rest = Arrays.copyOfRange(input, 1, input.length);
        byte[] body = (input[0] & 1) == 1 ? deflate(rest) : rest;
        RegisterBrokerBody decoded = decode(body, true);
        if (decoded == null || decoded.filterServerList != null
                && !decoded.filterServerList.stream().allMatch(Checks::isWellFormed)) {
            return;
        }
        RegisterBrokerBody again = decode(RegisterBrokerBodyCodec.encodeCompressed(decoded), true);
        check(again != null, "the compressed encoding of a decoded body does not decode");
        checkEqual(decoded.topicConfigSerializeWrapper.dataVersion, again.topicConfigSerializeWrapper.dataVersion,
                "data version after re-encoding");
        checkEqual(describe(decoded.topicConfigSerializeWrapper.topicConfigTable),
                describe(again.topicConfigSerializeWrapper.topicConfigTable), "topics after re-encoding");
        checkEqual(decoded.filterServerList, again.filterServerList, "filter servers after re-encoding");
    }

    /** The decoded body with its invariants checked, or null when the codec refused it. */
    private static RegisterBrokerBody decode(byte[] body, boolean compressed) {
        RegisterBrokerBody b;
        try {
            b = RegisterBrokerBodyCodec.decode(body, compressed);
        } catch (RuntimeException e) {
            expectOnly(e, RemotingProtocolException.class);
            return null;
        }
        check(b != null, "decoded to null");
        check(b.topicConfigSerializeWrapper != null, "no topic config wrapper");
        check(b.topicConfigSerializeWrapper.dataVersion != null, "no data version");
        check(b.topicConfigSerializeWrapper.topicConfigTable != null, "no topic config table");
        b.topicConfigSerializeWrapper.topicConfigTable.forEach((name, tc) -> {
            check(name != null, "a topic config under a null name");
            check(tc != null, "topic %s: the config is null", name);
        });
        if (b.filterServerList != null) {
            check(!b.filterServerList.contains(null), "a null filter server address: %s", b.filterServerList);
        }
        return b;
    }

    private static String describe(Map<String, TopicConfig> table) {
        StringBuilder sb = new StringBuilder();
        table.forEach((k, tc) -> sb.append(k).append('=').append(tc.topicName).append(' ').append(tc.readQueueNums)
                .append(' ').append(tc.writeQueueNums).append(' ').append(tc.perm).append(' ')
                .append(tc.topicFilterType).append(';'));
        return sb.toString();
    }

    private static byte[] deflate(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_SPEED))) {
            d.write(content);
        }
        return out.toByteArray();
    }
}
