package io.rocketcluster.remoting.data;

import io.rocketcluster.remoting.protocol.RemotingProtocolException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bodies found by fuzz/JsonBodyFuzzTest and fuzz/RegisterBrokerBodyFuzzTest: a body that is JSON's {@code null}
 * decoded to a null object, which every processor then dereferenced (REGISTER_BROKER, HEART_BEAT,
 * LOCK_BATCH_MQ, UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, QUERY_DATA_VERSION: NullPointerException); a queue key
 * that is JSON's {@code null} decoded to a null map key, which no one can encode again.
 */
class JsonBodyRegressionTest {
    @Test
    void jsonNullBodyIsAProtocolErrorNotANullObject() {
        for (String body : new String[] {"null", " null\n", "null{\"trailing\":1}"}) {
            for (Class<?> type : new Class<?>[] {RegisterBrokerBody.class, HeartbeatData.class, LockBatchBody.class,
                    SubscriptionGroupConfig.class, DataVersion.class, QueryCorrectionOffsetBody.class}) {
                assertThatThrownBy(() -> Json.decode(body.getBytes(StandardCharsets.UTF_8), type))
                        .isInstanceOf(RemotingProtocolException.class)
                        .hasMessageContaining(type.getSimpleName());
            }
        }
    }

    @Test
    void anEmptyObjectStillDecodesToTheDefaults() {
        assertThat(Json.decode("{}".getBytes(StandardCharsets.UTF_8), HeartbeatData.class).consumerDataSet).isEmpty();
    }

    @Test
    void queueKeyThatIsJsonNullIsAProtocolErrorNotANullKey() {
        String body = "{\"offsetTable\":{\"{\\\"brokerName\\\":\\\"b\\\",\\\"queueId\\\":0,\\\"topic\\\":\\\"t\\\"}\":42,"
                + "\"null{}\":43}}";
        assertThatThrownBy(() -> Json.decode(body.getBytes(StandardCharsets.UTF_8), ResetOffsetBody.class))
                .isInstanceOf(RemotingProtocolException.class);
        assertThatThrownBy(() -> Json.decode("{\"offsetTable\":{\"null\":{}}}".getBytes(StandardCharsets.UTF_8),
                ConsumeStats.class)).isInstanceOf(RemotingProtocolException.class);
        ResetOffsetBody ok = Json.decode(body.replace("null{}", "{\\\"queueId\\\":1}")
                .getBytes(StandardCharsets.UTF_8), ResetOffsetBody.class);
        assertThat(ok.offsetTable).containsValues(42L, 43L).doesNotContainKey(null);
    }
}
