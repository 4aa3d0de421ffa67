package io.rocketcluster.remoting.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * JSON headers found by fuzz/RemotingFrameFuzzTest#frameDecode: a known single-value field holding an object
 * was not skipped, so the decoder read that object's fields as the header's own and took its closing brace for
 * the header's end, silently dropping every field after it.
 */
class JsonHeaderRegressionTest {
    private static RemotingCommand decode(String header) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuf frame = Unpooled.buffer().writeInt(h.length).writeBytes(h);   // serialize type 0: JSON
        return RemotingFrame.decode(frame);
    }

    @Test
    void objectValuedCodeDoesNotLeakItsFieldsIntoTheHeaderNorEndIt() {
        // before: code 105 (from inside the object), language OTHER and no extFields (never read)
        assertThatThrownBy(() -> decode("{\"code\":{\"code\":105},\"extFields\":{\"topic\":\"TopicTest\"},"
                + "\"language\":\"JAVA\"}"))
                .isInstanceOf(RemotingProtocolException.class)
                .hasMessageContaining("<code>");
    }

    @Test
    void arrayOrObjectWhereASingleValueBelongsIsRefusedForEverySuchField() {
        for (String field : new String[] {"code", "version", "opaque", "flag", "remark", "language"}) {
            assertThatThrownBy(() -> decode("{\"" + field + "\":[1,{\"flag\":1}],\"code\":10}"))
                    .isInstanceOf(RemotingProtocolException.class)
                    .hasMessageContaining("<" + field + ">");
        }
    }

    @Test
    void unknownFieldsAndExtFieldValuesMayStillBeObjects() {
        RemotingCommand cmd = decode("{\"code\":10,\"extFields\":{\"a\":{\"x\":1},\"b\":\"2\"},"
                + "\"future\":{\"code\":99,\"flag\":1},\"language\":\"JAVA\",\"remark\":null}");
        assertThat(cmd.code()).isEqualTo(10);
        assertThat(cmd.language()).isEqualTo(LanguageCode.JAVA);
        assertThat(cmd.isResponse()).isFalse();
        assertThat(cmd.remark()).isNull();
        assertThat(cmd.extFields()).containsOnlyKeys("b");
    }
}
