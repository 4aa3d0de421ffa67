package io.rocketcluster.namesrv.processor;

import io.rocketcluster.remoting.data.RegisterBrokerBody;
import io.rocketcluster.remoting.protocol.RemotingProtocolException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.DeflaterOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * REGISTER_BROKER bodies found by fuzz/RegisterBrokerBodyFuzzTest. JSON nulls where the route table expects
 * values decoded fine and then failed RouteInfoManager.registerBroker half-way (NullPointerException after the
 * broker's address and liveness were already recorded): a null filter server address (List.copyOf) and a null
 * topic config (updateQueueData); a body that is JSON's null failed right in the codec.
 */
class RegisterBrokerBodyRegressionTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void nullFilterServerAddressIsRefused() {
        assertThatThrownBy(() -> RegisterBrokerBodyCodec.decode(utf8("{\"filterServerList\":[null]}"), false))
                .isInstanceOf(RemotingProtocolException.class)
                .hasMessageContaining("filter server");
    }

    @Test
    void nullTopicConfigIsRefused() {
        assertThatThrownBy(() -> RegisterBrokerBodyCodec.decode(utf8(
                "{\"topicConfigSerializeWrapper\":{\"topicConfigTable\":{\"TopicA\":null}}}"), false))
                .isInstanceOf(RemotingProtocolException.class)
                .hasMessageContaining("TopicA");
    }

    @Test
    void nullFilterServerAddressInACompressedBodyIsRefused() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes))) {
            byte[] version = utf8("{\"counter\":1,\"timestamp\":2}");
            out.writeInt(version.length);
            out.write(version);
            out.writeInt(0);
            byte[] servers = utf8("[\"10.0.0.1:3000\",null]");
            out.writeInt(servers.length);
            out.write(servers);
        }
        assertThatThrownBy(() -> RegisterBrokerBodyCodec.decode(bytes.toByteArray(), true))
                .isInstanceOf(RemotingProtocolException.class);
    }

    @Test
    void jsonNullBodyIsRefusedInsteadOfFailingWithANullPointer() {
        assertThatThrownBy(() -> RegisterBrokerBodyCodec.decode(utf8("null"), false))
                .isInstanceOf(RemotingProtocolException.class);
    }

    @Test
    void explicitNullsWhereTheCodecHasDefaultsStillDecode() {
        RegisterBrokerBody b = RegisterBrokerBodyCodec.decode(utf8(
                "{\"filterServerList\":null,\"topicConfigSerializeWrapper\":{\"dataVersion\":null,"
                        + "\"topicConfigTable\":null}}"), false);
        assertThat(b.topicConfigSerializeWrapper.topicConfigTable).isEmpty();
        assertThat(b.filterServerList).isNull();
    }
}
