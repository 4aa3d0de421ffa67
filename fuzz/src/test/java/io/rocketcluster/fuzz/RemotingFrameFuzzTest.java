package io.rocketcluster.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.rocketcluster.remoting.netty.NettyServerConfig;
import io.rocketcluster.remoting.netty.RemotingFrameDecoder;
import io.rocketcluster.remoting.protocol.LanguageCode;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RemotingFrame;
import io.rocketcluster.remoting.protocol.RemotingProtocolException;
import io.rocketcluster.remoting.protocol.SerializeType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.rocketcluster.fuzz.Checks.check;
import static io.rocketcluster.fuzz.Checks.checkEqual;
import static io.rocketcluster.fuzz.Checks.expectOnly;

/**
 * The remoting frame (docs/remoting.md §1-2) as a server reads it from any client: {@link RemotingFrame#decode}
 * with both header encodings (the serialize-type byte selects JsonHeaderCodec or BinaryHeaderCodec), and the
 * server's Netty decoder ({@link RemotingFrameDecoder}, a length-field decoder) fed through an EmbeddedChannel.
 */
class RemotingFrameFuzzTest {
    /** The server's defaults (the frame-completion timeout of its decoder). */
    private static final NettyServerConfig SERVER = new NettyServerConfig();
    /**
     * A plain tree reader, the reference the streaming JSON header decoder is compared with; it refuses
     * duplicate keys, whose meaning JSON leaves open, so those headers are not compared.
     */
    private static final ObjectMapper TREE = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /**
     * Input: a frame whose length field has been stripped (headerMeta, header, body), as the frame decoder hands
     * it on. Only RemotingProtocolException may escape (RemotingEndpoint closes the connection on it); a decoded
     * command re-encodes to a frame that decodes to the same command (JSON headers: unless they hold strings
     * with unpaired surrogates, see Checks.isUtf8); a JSON header means what a tree reader sees in it.
     */
    @DictionaryEntries({"\"code\"", "\"extFields\"", "\"flag\"", "\"language\"", "\"opaque\"",
        "\"remark\"", "\"version\"", "\"JAVA\"", "\"serializeTypeCurrentRPC\"", "\u0000\u0000\u0000\u0000",
        "\u0001\u0000\u0000", "{", "}", "[", "]", ":", ",", "\"", "null", "true", "false", "-1", "1e99", "\\u0000"})
    @FuzzTest(maxDuration = "30s")
    void frameDecode(byte[] frame) {
        RemotingCommand cmd;
        try {
            cmd = RemotingFrame.decode(Unpooled.wrappedBuffer(frame));
        } catch (RuntimeException e) {
            expectOnly(e, RemotingProtocolException.class);
            return;
        }
        check(frame.length >= 4, "decoded a frame of %d bytes, shorter than its header length field", frame.length);
        int headerLength = ((frame[1] & 0xFF) << 16) | ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF);
        int bodyLength = frame.length - 4 - headerLength;
        checkEqual(bodyLength == 0 ? null : bodyLength, cmd.body() == null ? null : cmd.body().length, "body length");
        if (cmd.body() != null) {
            checkEqual(Arrays.toString(Arrays.copyOfRange(frame, 4 + headerLength, frame.length)),
                    Arrays.toString(cmd.body()), "body bytes");
        }
        checkEqual(frame[0] == 1 ? SerializeType.ROCKETMQ : SerializeType.JSON, cmd.serializeType(), "serialize type");
        if (cmd.serializeType() == SerializeType.JSON) {
            checkJsonHeaderAgainstTree(Arrays.copyOfRange(frame, 4, 4 + headerLength), cmd);
            if (!Checks.isWellFormed(cmd.remark()) || !cmd.extFields().entrySet().stream()
                    .allMatch(e -> Checks.isWellFormed(e.getKey()) && Checks.isWellFormed(e.getValue()))) {
                return;   // see Checks.isUtf8
            }
        }
        checkReencodes(cmd);
    }

    /**
     * Input: one byte that seeds how the stream is cut into reads, then the byte stream a client sends (length
     * fields included). The decoder yields the same commands, and fails the same way, however the stream is cut;
     * it fails only with what Netty's length-field decoder raises (too long, negative length) or with a
     * RemotingProtocolException; and every buffer it was given is released once the channel closes.
     */
    @FuzzTest(maxDuration = "30s")
    void nettyFrameDecoder(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        Outcome whole = feed(stream, new int[] {stream.length});
        Outcome cut = feed(stream, cuts(input[0], stream.length));
        checkEqual(whole.commands, cut.commands, "commands decoded from the stream in one read and in several");
        checkEqual(whole.failure, cut.failure, "failure in one read and in several");
        check(whole.commands.size() <= stream.length / 8, "%d commands from %d bytes", whole.commands.size(),
                stream.length);
    }

    private record Outcome(List<String> commands, String failure) {
    }

    private static Outcome feed(byte[] stream, int[] reads) {
        // as NettyRemotingServer builds it, with the frame-completion timeout
        EmbeddedChannel channel = new EmbeddedChannel(
                new RemotingFrameDecoder(SERVER.getServerFrameCompletionTimeoutMillis()));
        List<ByteBuf> given = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        String failure = null;
        int at = 0;
        try {
            for (int n : reads) {
                if (n == 0) {
                    continue;
                }
                ByteBuf b = Unpooled.copiedBuffer(stream, at, n);
                at += n;
                given.add(b);
                try {
                    channel.writeInbound(b);
                } catch (RuntimeException e) {
                    failure = allowedDecoderFailure(e);
                }
                for (Object o; (o = channel.readInbound()) != null; ) {
                    RemotingCommand c = (RemotingCommand) o;
                    commands.add(c + " " + Arrays.toString(c.body()) + " " + c.extFields());
                }
                if (failure != null) {
                    break;   // the server closes the connection: nothing after it is read
                }
            }
        } finally {
            try {
                channel.finishAndReleaseAll();
            } catch (RuntimeException e) {
                String late = allowedDecoderFailure(e);
                failure = failure == null ? late : failure;
            }
        }
        for (ByteBuf b : given) {
            checkEqual(0, b.refCnt(), "reference count of a buffer the decoder was given, after the channel closed");
        }
        return new Outcome(commands, failure);
    }

    /** What a failed read may be: a length-field failure or a RemotingProtocolException; its description. */
    private static String allowedDecoderFailure(RuntimeException e) {
        if (e instanceof TooLongFrameException || e instanceof CorruptedFrameException) {
            return e.getClass().getSimpleName();
        }
        if (e instanceof DecoderException && e.getCause() instanceof RemotingProtocolException p) {
            return "RemotingProtocolException: " + p.getMessage();
        }
        expectOnly(e, TooLongFrameException.class, CorruptedFrameException.class, RemotingProtocolException.class);
        return e.toString();
    }

    private static int[] cuts(byte seed, int length) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> reads = new ArrayList<>();
        int left = length;
        while (left > 0) {
            int n = Math.min(left, 1 + random.nextInt(Math.max(1, Math.min(48, length / 2))));
            reads.add(n);
            left -= n;
        }
        return reads.stream().mapToInt(Integer::intValue).toArray();
    }

    // ---- invariants of a decoded command ---------------------------------------------------

    /** Encoding a decoded command gives a frame that decodes to the same command. */
    private static void checkReencodes(RemotingCommand cmd) {
        ByteBuf out = Unpooled.buffer();
        RemotingFrame.encode(cmd, out);
        checkEqual(out.readableBytes() - 4, out.readInt(), "frame length field of the re-encoded command");
        RemotingCommand again;
        try {
            again = RemotingFrame.decode(out);
        } catch (RemotingProtocolException e) {
            throw new AssertionError("the re-encoded command " + cmd + " does not decode", e);
        }
        checkEqual(cmd.code(), again.code(), "code after re-encoding");
        checkEqual(cmd.language(), again.language(), "language after re-encoding");
        checkEqual(cmd.version(), again.version(), "version after re-encoding");
        checkEqual(cmd.opaque(), again.opaque(), "opaque after re-encoding");
        checkEqual(cmd.flag(), again.flag(), "flag after re-encoding");
        checkEqual(cmd.remark(), again.remark(), "remark after re-encoding");
        checkEqual(cmd.extFields(), again.extFields(), "extFields after re-encoding");
        checkEqual(Arrays.toString(cmd.body()), Arrays.toString(again.body()), "body after re-encoding");
        checkEqual(cmd.serializeType(), again.serializeType(), "serialize type after re-encoding");
    }

    /**
     * Where a JSON tree reader reads the header as an object, each field the decoder knows must have the value
     * the tree holds at the top level of that object (fields of other types than the decoder expects are not
     * compared; absent ones must decode to their defaults).
     */
    private static void checkJsonHeaderAgainstTree(byte[] header, RemotingCommand cmd) {
        JsonNode root;
        try {
            root = TREE.readTree(header);
        } catch (IOException e) {
            return;
        }
        if (!(root instanceof ObjectNode o)) {
            return;
        }
        intField(o, "code", cmd.code());
        intField(o, "version", cmd.version());
        intField(o, "opaque", cmd.opaque());
        intField(o, "flag", cmd.flag());
        JsonNode remark = o.get("remark");
        if (remark == null || remark.isNull()) {
            checkEqual(null, cmd.remark(), "remark of a header without one");
        } else if (remark.isTextual()) {
            checkEqual(remark.textValue(), cmd.remark(), "remark");
        }
        JsonNode language = o.get("language");
        if (language == null || language.isNull()) {
            checkEqual(LanguageCode.OTHER, cmd.language(), "language of a header without one");
        } else if (language.isTextual()) {
            checkEqual(LanguageCode.fromName(language.textValue()), cmd.language(), "language");
        }
        JsonNode ext = o.get("extFields");
        if (ext == null || ext.isNull()) {
            checkEqual(Map.of(), cmd.extFields(), "extFields of a header without them");
        } else if (ext.isObject()) {
            Map<String, String> textual = new HashMap<>();
            int scalars = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = ext.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                    scalars++;
                    check(cmd.extFields().containsKey(e.getKey()), "extField %s lost", e.getKey());
                    if (e.getValue().isTextual()) {
                        textual.put(e.getKey(), e.getValue().textValue());
                    }
                }
            }
            checkEqual(scalars, cmd.extFields().size(), "number of extFields with a value");
            textual.forEach((k, v) -> checkEqual(v, cmd.extFields().get(k), "extField " + k));
        }
    }

    private static void intField(ObjectNode o, String name, int actual) {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) {
            checkEqual(0, actual, name + " of a header without one");
        } else if (v.isInt()) {
            checkEqual(v.intValue(), actual, name);
        }
    }
}
