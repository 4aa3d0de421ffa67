package io.rocketcluster.remoting.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The worked examples of docs/remoting.md §1 and §2.2, checked there against RocketMQ's own codec. */
class RemotingFrameTest {
    private static final String JSON_HEADER = "{\"code\":105,\"extFields\":{\"topic\":\"TopicTest\"},\"flag\":0,"
            + "\"language\":\"JAVA\",\"opaque\":0,\"serializeTypeCurrentRPC\":\"JSON\",\"version\":407}";
    private static final String BINARY_FRAME = "0000002d010000290069000197000000000000000000000000000000140005746f"
            + "70696300000009546f70696354657374";

    private static byte[] encode(RemotingCommand cmd) {
        ByteBuf out = Unpooled.buffer();
        RemotingFrame.encode(cmd, out);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    private static RemotingCommand routeRequest(SerializeType type) {
        RemotingCommand cmd = RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC).put("topic", "TopicTest")
                .serializeType(type);
        // the reference frames carry opaque 0
        return RemotingCommand.decoded(cmd.code(), LanguageCode.JAVA, 407, 0, 0, null, cmd.extFields())
                .serializeType(type);
    }

    @Test
    void encodesTheJsonReferenceFrame() {
        byte[] frame = encode(routeRequest(SerializeType.JSON));
        assertThat(HexFormat.of().formatHex(frame, 0, 8)).isEqualTo("0000008700000083");
        assertThat(new String(frame, 8, frame.length - 8, StandardCharsets.UTF_8)).isEqualTo(JSON_HEADER);
    }

    @Test
    void encodesTheBinaryReferenceFrame() {
        assertThat(HexFormat.of().formatHex(encode(routeRequest(SerializeType.ROCKETMQ)))).isEqualTo(BINARY_FRAME);
    }

    @Test
    void decodesBothReferenceFramesToTheSameCommand() {
        byte[] json = encode(routeRequest(SerializeType.JSON));
        for (byte[] frame : new byte[][]{json, HexFormat.of().parseHex(BINARY_FRAME)}) {
            RemotingCommand cmd = RemotingFrame.decode(Unpooled.wrappedBuffer(frame, 4, frame.length - 4));
            assertThat(cmd.code()).isEqualTo(105);
            assertThat(cmd.version()).isEqualTo(407);
            assertThat(cmd.language()).isEqualTo(LanguageCode.JAVA);
            assertThat(cmd.get("topic")).isEqualTo("TopicTest");
            assertThat(cmd.isResponse()).isFalse();
            assertThat(cmd.body()).isNull();
        }
    }

    @Test
    void roundTripsResponsesWithRemarkAndBodyInTheRequestsEncoding() {
        for (SerializeType type : SerializeType.values()) {
            RemotingCommand request = RemotingCommand.request(10).serializeType(type);
            RemotingCommand response = RemotingCommand.responseTo(request, 17, "topic[x] not exist, apply first please!")
                    .put("queueOffset", 42L).body(new byte[]{1, 2, 3});
            byte[] frame = encode(response);
            RemotingCommand back = RemotingFrame.decode(Unpooled.wrappedBuffer(frame, 4, frame.length - 4));
            assertThat(back.serializeType()).isEqualTo(type);
            assertThat(back.isResponse()).isTrue();
            assertThat(back.opaque()).isEqualTo(request.opaque());
            assertThat(back.remark()).isEqualTo("topic[x] not exist, apply first please!");
            assertThat(back.getLong("queueOffset", -1)).isEqualTo(42L);
            assertThat(back.body()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void toleratesUnknownLanguagesFieldsAndNonStringExtValues() {
        String header = "{\"code\":34,\"language\":\"KOTLIN\",\"version\":479,\"opaque\":7,\"flag\":0,"
                + "\"extFields\":{\"n\":5,\"b\":true,\"nested\":{\"x\":1}},\"futureField\":[1,2]}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = Unpooled.buffer().writeInt(h.length).writeBytes(h);
        RemotingCommand cmd = RemotingFrame.decode(buf);
        assertThat(cmd.language()).isEqualTo(LanguageCode.OTHER);
        assertThat(cmd.get("n")).isEqualTo("5");
        assertThat(cmd.getBoolean("b", false)).isTrue();
        assertThat(cmd.get("nested")).isNull();
    }

    @Test
    void rejectsMalformedHeadersWithAClearMessage() {
        byte[] bad = "{not json".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> RemotingFrame.decode(Unpooled.buffer().writeInt(bad.length).writeBytes(bad)))
                .isInstanceOf(RemotingProtocolException.class).hasMessageContaining("unparsable JSON header");
        assertThatThrownBy(() -> RemotingFrame.decode(Unpooled.buffer().writeInt(100)))
                .isInstanceOf(RemotingProtocolException.class).hasMessageContaining("exceeds frame length");
        ByteBuf truncatedBinary = Unpooled.buffer().writeInt((1 << 24) | 5).writeBytes(new byte[5]);
        assertThatThrownBy(() -> RemotingFrame.decode(truncatedBinary))
                .isInstanceOf(RemotingProtocolException.class).hasMessageContaining("binary header");
        RemotingCommand missing = RemotingCommand.request(11);
        assertThatThrownBy(() -> missing.requireLong("queueOffset"))
                .isInstanceOf(RemotingProtocolException.class).hasMessageContaining("<queueOffset>");
    }
}
