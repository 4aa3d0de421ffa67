package io.rocketcluster.namesrv.processor;

import io.rocketcluster.remoting.data.DataVersion;
import io.rocketcluster.remoting.data.RegisterBrokerBody;
import io.rocketcluster.remoting.data.TopicConfig;
import io.rocketcluster.remoting.protocol.RemotingProtocolException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegisterBrokerBodyCodecTest {
    private static RegisterBrokerBody body() {
        RegisterBrokerBody b = new RegisterBrokerBody();
        b.topicConfigSerializeWrapper.dataVersion = new DataVersion(3, 1_700_000_000_000L);
        TopicConfig t = new TopicConfig("TopicA", 4, 8, 6);
        t.topicSysFlag = 1;
        b.topicConfigSerializeWrapper.topicConfigTable.put("TopicA", t);
        b.topicConfigSerializeWrapper.topicConfigTable.put("TBW102", new TopicConfig("TBW102", 8, 8, 7));
        b.filterServerList = List.of("10.0.0.1:3000");
        return b;
    }

    @Test
    void absentBodyIsEmptyAtVersionZero() {
        RegisterBrokerBody b = RegisterBrokerBodyCodec.decode(null, false);
        assertThat(b.topicConfigSerializeWrapper.dataVersion).isEqualTo(new DataVersion(0, 0));
        assertThat(b.topicConfigSerializeWrapper.topicConfigTable).isEmpty();
        assertThat(RegisterBrokerBodyCodec.decode(new byte[0], true).topicConfigSerializeWrapper.dataVersion)
                .isEqualTo(new DataVersion(0, 0));
    }

    @Test
    void decodesApacheJsonBodyWithUnknownFields() {
        String json = "{\"filterServerList\":[],\"topicConfigSerializeWrapper\":{\"dataVersion\":{\"counter\":2,"
                + "\"stateVersion\":0,\"timestamp\":5},\"topicConfigTable\":{\"TopicA\":{\"order\":false,\"perm\":6,"
                + "\"readQueueNums\":4,\"topicFilterType\":\"SINGLE_TAG\",\"topicName\":\"TopicA\",\"topicSysFlag\":0,"
                + "\"writeQueueNums\":4,\"attributes\":{}}},\"topicQueueMappingInfoMap\":{}}}";
        RegisterBrokerBody b = RegisterBrokerBodyCodec.decode(json.getBytes(StandardCharsets.UTF_8), false);
        assertThat(b.topicConfigSerializeWrapper.dataVersion).isEqualTo(new DataVersion(2, 5));
        assertThat(b.topicConfigSerializeWrapper.topicConfigTable.get("TopicA").writeQueueNums).isEqualTo(4);
    }

    @Test
    void compressedRoundTripDropsSysFlagAsRocketMqDoes() {
        RegisterBrokerBody decoded = RegisterBrokerBodyCodec.decode(RegisterBrokerBodyCodec.encodeCompressed(body()), true);
        assertThat(decoded.topicConfigSerializeWrapper.dataVersion).isEqualTo(new DataVersion(3, 1_700_000_000_000L));
        assertThat(decoded.topicConfigSerializeWrapper.topicConfigTable).containsOnlyKeys("TopicA", "TBW102");
        TopicConfig a = decoded.topicConfigSerializeWrapper.topicConfigTable.get("TopicA");
        assertThat(a.readQueueNums).isEqualTo(4);
        assertThat(a.writeQueueNums).isEqualTo(8);
        assertThat(a.perm).isEqualTo(6);
        assertThat(a.topicFilterType).isEqualTo("SINGLE_TAG");
        assertThat(a.topicSysFlag).isZero();
        assertThat(decoded.topicConfigSerializeWrapper.topicConfigTable.get("TBW102").perm).isEqualTo(7);
        assertThat(decoded.filterServerList).containsExactly("10.0.0.1:3000");
    }

    @Test
    void acceptsFiveXTopicLinesWithAttributesAndTrailingMappingData() throws IOException {
        byte[] body = compress(out -> {
            chunk(out, "{\"counter\":1,\"stateVersion\":0,\"timestamp\":9}");
            out.writeInt(2);
            chunk(out, "T1 2 2 6 SINGLE_TAG {\"+message.type\":\"NORMAL\"}");
            chunk(out, "T2 1 1 6 MULTI_TAG ");
            chunk(out, "[]");
            out.writeInt(0); // 5.x mapping count
        });
        RegisterBrokerBody b = RegisterBrokerBodyCodec.decode(body, true);
        assertThat(b.topicConfigSerializeWrapper.topicConfigTable).containsOnlyKeys("T1", "T2");
        assertThat(b.topicConfigSerializeWrapper.topicConfigTable.get("T2").topicFilterType).isEqualTo("MULTI_TAG");
        assertThat(b.topicConfigSerializeWrapper.dataVersion).isEqualTo(new DataVersion(1, 9));
    }

    @Test
    void rejectsShortTopicLinesTruncatedStreamsAndGarbage() {
        assertThatThrownBy(() -> RegisterBrokerBodyCodec.decode(compress(out -> {
            chunk(out, "{\"counter\":1,\"timestamp\":9}");
            out.writeInt(1);
            chunk(out, "T1 2 2 6");
            chunk(out, "[]");
        }), true)).isInstanceOf(RemotingProtocolException.class).hasMessageContaining("bad topic line");

        assertThatThrownBy(() -> RegisterBrokerBodyCodec.decode(compress(out -> {
            chunk(out, "{\"counter\":1,\"timestamp\":9}");
            out.writeInt(5);
        }), true)).isInstanceOf(RemotingProtocolException.class);

        assertThatThrownBy(() -> RegisterBrokerBodyCodec.decode(compress(out -> out.writeInt(-1)), true))
                .isInstanceOf(RemotingProtocolException.class).hasMessageContaining("length");

        assertThatThrownBy(() -> RegisterBrokerBodyCodec.decode("not zlib".getBytes(StandardCharsets.UTF_8), true))
                .isInstanceOf(RemotingProtocolException.class);
        assertThatThrownBy(() -> RegisterBrokerBodyCodec.decode("{oops".getBytes(StandardCharsets.UTF_8), false))
                .isInstanceOf(RemotingProtocolException.class);
    }

    @Test
    void refusesBodiesThatInflateBeyondTheLimit() {
        byte[] bomb = compress(out -> {
            chunk(out, "{\"counter\":1,\"timestamp\":9}");
            out.writeInt(1);
            out.writeInt((int) RegisterBrokerBodyCodec.MAX_INFLATED_BYTES); // a length within the limit...
            byte[] zeros = new byte[64 * 1024];
            for (long written = 0; written < RegisterBrokerBodyCodec.MAX_INFLATED_BYTES; written += zeros.length) {
                out.write(zeros); // ...but the whole stream inflates past it
            }
        });
        assertThat(bomb.length).isLessThan(1024 * 1024);
        assertThatThrownBy(() -> RegisterBrokerBodyCodec.decode(bomb, true))
                .isInstanceOf(RemotingProtocolException.class).hasMessageContaining("inflates");
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] compress(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes, new Deflater(Deflater.BEST_COMPRESSION)))) {
            w.write(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static void chunk(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
