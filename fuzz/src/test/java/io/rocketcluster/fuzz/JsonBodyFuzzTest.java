package io.rocketcluster.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.rocketcluster.broker.offset.ConsumerOffsetManager;
import io.rocketcluster.broker.processor.ClientManageProcessor;
import io.rocketcluster.remoting.data.ConsumeStatsList;
import io.rocketcluster.remoting.data.DataVersion;
import io.rocketcluster.remoting.data.HeartbeatData;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.KVTable;
import io.rocketcluster.remoting.data.LockBatchBody;
import io.rocketcluster.remoting.data.QueryCorrectionOffsetBody;
import io.rocketcluster.remoting.data.RegisterBrokerBody;
import io.rocketcluster.remoting.data.ResetOffsetBody;
import io.rocketcluster.remoting.data.ResetOffsetBodyForC;
import io.rocketcluster.remoting.data.SubscriptionGroupConfig;
import io.rocketcluster.remoting.data.SubscriptionGroupWrapper;
import io.rocketcluster.remoting.data.TopicConfig;
import io.rocketcluster.remoting.data.TopicConfigSerializeWrapper;
import io.rocketcluster.remoting.data.TopicRouteData;
import io.rocketcluster.remoting.protocol.RemotingProtocolException;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static io.rocketcluster.fuzz.Checks.check;
import static io.rocketcluster.fuzz.Checks.checkEqual;
import static io.rocketcluster.fuzz.Checks.expectOnly;

/** The JSON request and response bodies the broker, the nameserver and the tools decode with {@link Json#decode}. */
class JsonBodyFuzzTest {
    /**
     * The body types, by the first input byte (modulo their number). Who decodes them, from whom: the broker
     * HEART_BEAT, CHECK_CLIENT_CONFIG, LOCK/UNLOCK_BATCH_MQ (clients) and UPDATE_AND_CREATE_SUBSCRIPTIONGROUP
     * (admin); the nameserver QUERY_DATA_VERSION and REGISTER_BROKER (brokers); a slave the master's topic,
     * offset and group tables; admin tools and the operator the remaining answers.
     */
    static final List<Class<?>> TYPES = List.of(
            HeartbeatData.class,                                // 0
            ClientManageProcessor.CheckClientConfigBody.class,  // 1
            LockBatchBody.class,                                // 2
            SubscriptionGroupConfig.class,                      // 3
            DataVersion.class,                                  // 4
            RegisterBrokerBody.class,                           // 5
            TopicConfigSerializeWrapper.class,                  // 6
            ConsumerOffsetManager.OffsetTable.class,            // 7
            SubscriptionGroupWrapper.class,                     // 8
            TopicConfig.class,                                  // 9
            ResetOffsetBody.class,                              // 10
            ResetOffsetBodyForC.class,                          // 11
            QueryCorrectionOffsetBody.class,                    // 12
            KVTable.class,                                      // 13
            ConsumeStatsList.class,                             // 14
            TopicRouteData.class);                              // 15

    /**
     * Input: one byte choosing the type, then the body. Only RemotingProtocolException escapes (the processors
     * let it become an error answer; anything else is a bug in a decoder); a decoded body is an object, never
     * null; where the body is well-formed UTF-8, it encodes, and decoding that encoding gives a body that encodes
     * to the same JSON.
     */
    @DictionaryEntries({"\"clientID\"", "\"consumerDataSet\"", "\"producerDataSet\"", "\"groupName\"",
        "\"subscriptionDataSet\"", "\"subscriptionData\"", "\"mqSet\"", "\"offsetTable\"", "\"topic\"",
        "\"brokerName\"", "\"queueId\"", "\"topicConfigTable\"", "\"topicConfigSerializeWrapper\"",
        "\"dataVersion\"", "\"filterServerList\"", "\"subscriptionGroupTable\"", "\"table\"",
        "\"correctionOffsets\"", "\"consumeStatsList\"", "\"brokerDatas\"", "\"queueDatas\"",
        "\"brokerAddrs\"", "\"filterServerTable\"", "\"tagsSet\"", "\"codeSet\"", "{", "}", "[", "]", ":", ",",
        "\"", "null", "true", "false", "-1", "1e99", "\\u0000"})
    @FuzzTest(maxDuration = "30s")
    void decodeBody(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        Class<?> type = TYPES.get((input[0] & 0xFF) % TYPES.size());
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        Object decoded;
        try {
            decoded = Json.decode(body, type);
        } catch (RuntimeException e) {
            expectOnly(e, RemotingProtocolException.class);
            return;
        }
        check(decoded != null, "%s body %s decoded to null", type.getSimpleName(), printable(body));
        if (!Checks.isWellFormedJson(body)) {
            return;
        }
        byte[] encoded;
        try {
            encoded = Json.encode(decoded);
        } catch (RuntimeException e) {
            throw new AssertionError("a decoded " + type.getSimpleName() + " does not encode: " + printable(body), e);
        }
        Object again;
        try {
            again = Json.decode(encoded, type);
        } catch (RemotingProtocolException e) {
            throw new AssertionError("the encoding of a decoded " + type.getSimpleName() + " does not decode: "
                    + printable(encoded), e);
        }
        JsonNode first = Json.mapper().readTree(encoded);
        JsonNode second = Json.mapper().readTree(Json.encode(again));
        checkEqual(first, second, type.getSimpleName() + " after decode, encode, decode");
    }

    private static String printable(byte[] b) {
        return new String(b, 0, Math.min(b.length, 200), java.nio.charset.StandardCharsets.UTF_8);
    }
}
