package io.rocketcluster.namesrv.processor;

import com.fasterxml.jackson.core.type.TypeReference;
import io.rocketcluster.remoting.data.DataVersion;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.RegisterBrokerBody;
import io.rocketcluster.remoting.data.TopicConfig;
import io.rocketcluster.remoting.data.TopicConfigSerializeWrapper;
import io.rocketcluster.remoting.protocol.RemotingProtocolException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * The REGISTER_BROKER body (docs/remoting.md §4.4), plain JSON or, with header {@code compressed=true},
 * a zlib stream (big-endian ints):
 * <pre>
 *   int dvLen | DataVersion JSON
 *   int topicCount | topicCount x (int len | "name read write perm FILTERTYPE[ attributes]")
 *   int fslLen | filter-server JSON array
 *   [5.x: int mappingCount | ...]   ignored
 * </pre>
 * The compressed form carries neither topicSysFlag nor order. Stateless.
 */
public final class RegisterBrokerBodyCodec {
    /** Most bytes a compressed body may inflate to (a 100k-topic broker needs about 5 MiB). */
    static final long MAX_INFLATED_BYTES = 64L * 1024 * 1024;

    private RegisterBrokerBodyCodec() {
    }

    /** Decodes a body; an absent body is an empty topic table at version {0,0}. */
    public static RegisterBrokerBody decode(byte[] body, boolean compressed) {
        if (body == null || body.length == 0) {
            return emptyBody();
        }
        RegisterBrokerBody decoded = compressed ? decodeCompressed(body) : Json.decode(body, RegisterBrokerBody.class);
        if (decoded.topicConfigSerializeWrapper == null) {
            decoded.topicConfigSerializeWrapper = new TopicConfigSerializeWrapper();
        }
        if (decoded.topicConfigSerializeWrapper.dataVersion == null) {
            decoded.topicConfigSerializeWrapper.dataVersion = new DataVersion();
        }
        if (decoded.topicConfigSerializeWrapper.topicConfigTable == null) {
            decoded.topicConfigSerializeWrapper.topicConfigTable = new java.util.LinkedHashMap<>();
        }
        // JSON nulls inside would fail the route table half-way through a registration
        decoded.topicConfigSerializeWrapper.topicConfigTable.forEach((topic, config) -> {
            if (config == null) {
                throw new RemotingProtocolException("register body: topic " + topic + " has a null config");
            }
        });
        if (decoded.filterServerList != null && decoded.filterServerList.contains(null)) {
            throw new RemotingProtocolException("register body: a null filter server address");
        }
        return decoded;
    }

    private static RegisterBrokerBody emptyBody() {
        RegisterBrokerBody b = new RegisterBrokerBody();
        b.topicConfigSerializeWrapper.dataVersion = new DataVersion(0, 0);
        return b;
    }

    private static RegisterBrokerBody decodeCompressed(byte[] body) {
        try (DataInputStream in = new DataInputStream(new BoundedInputStream(
                new InflaterInputStream(new ByteArrayInputStream(body)), MAX_INFLATED_BYTES))) {
            RegisterBrokerBody b = new RegisterBrokerBody();
            b.topicConfigSerializeWrapper.dataVersion = Json.mapper().readValue(readChunk(in, "data version"),
                    DataVersion.class);
            int topicCount = in.readInt();
            if (topicCount < 0) {
                throw new RemotingProtocolException("compressed register body: negative topic count " + topicCount);
            }
            for (int i = 0; i < topicCount; i++) {
                TopicConfig tc = parseTopicLine(new String(readChunk(in, "topic config"), StandardCharsets.UTF_8));
                b.topicConfigSerializeWrapper.topicConfigTable.put(tc.topicName, tc);
            }
            List<String> filterServers = Json.mapper().readValue(readChunk(in, "filter server list"),
                    new TypeReference<List<String>>() { });
            b.filterServerList = filterServers == null ? new ArrayList<>() : filterServers;
            return b;
        } catch (RemotingProtocolException e) {
            throw e;
        } catch (IOException e) {
            throw new RemotingProtocolException("malformed compressed register body: " + e, e);
        }
    }

    private static byte[] readChunk(DataInputStream in, String what) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > MAX_INFLATED_BYTES) {
            throw new RemotingProtocolException("compressed register body: bad " + what + " length " + len);
        }
        byte[] bytes = in.readNBytes(len);
        if (bytes.length != len) {
            throw new EOFException(what + " truncated");
        }
        return bytes;
    }

    /** {@code name read write perm FILTERTYPE}, optionally followed by 5.x attributes. */
    static TopicConfig parseTopicLine(String line) {
        String[] f = line.split(" ", 6);
        if (f.length < 5 || f[0].isEmpty()) {
            throw new RemotingProtocolException("compressed register body: bad topic line '" + line + "'");
        }
        try {
            TopicConfig tc = new TopicConfig(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]));
            tc.topicFilterType = f[4];
            return tc;
        } catch (NumberFormatException e) {
            throw new RemotingProtocolException("compressed register body: bad topic line '" + line + "'");
        }
    }

    /** The compressed form, as an Apache broker with {@code compressedRegister=true} sends it. */
    public static byte[] encodeCompressed(RegisterBrokerBody b) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes,
                new Deflater(Deflater.BEST_COMPRESSION)))) {
            writeChunk(out, Json.encode(b.topicConfigSerializeWrapper.dataVersion));
            Map<String, TopicConfig> table = b.topicConfigSerializeWrapper.topicConfigTable;
            out.writeInt(table.size());
            for (TopicConfig tc : table.values()) {
                String line = tc.topicName + " " + tc.readQueueNums + " " + tc.writeQueueNums + " " + tc.perm
                        + " " + tc.topicFilterType;
                writeChunk(out, line.getBytes(StandardCharsets.UTF_8));
            }
            writeChunk(out, Json.encode(b.filterServerList == null ? List.of() : b.filterServerList));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeChunk(DataOutputStream out, byte[] chunk) throws IOException {
        out.writeInt(chunk.length);
        out.write(chunk);
    }

    /** Fails once more than {@code limit} bytes have been read: a guard against inflation bombs. */
    private static final class BoundedInputStream extends FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            remaining -= n;
            if (remaining < 0) {
                throw new RemotingProtocolException("compressed register body inflates to more than "
                        + MAX_INFLATED_BYTES + " bytes");
            }
        }
    }
}
