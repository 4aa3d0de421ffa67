package io.rocketcluster.broker.processor;

import io.rocketcluster.remoting.protocol.RemotingProtocolException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * SEND_BATCH_MESSAGE body (docs/remoting.md §5.3): concatenated entries, big-endian:
 * <pre>
 * offset  size  field
 * 0       4     TOTALSIZE = 22 + bodyLen + propsLen
 * 4       4     MAGICCODE (ignored)
 * 8       4     BODYCRC (ignored; the broker computes it)
 * 12      4     FLAG
 * 16      4     BODYLENGTH, then the body
 * 20+b    2     PROPERTIESLENGTH, then the properties
 * </pre>
 */
final class BatchBody {
    record Entry(int flag, byte[] body, String properties) {
    }

    private BatchBody() {
    }

    static List<Entry> decode(byte[] bytes) {
        if (bytes == null) {
            throw new RemotingProtocolException("batch send has no body");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        List<Entry> entries = new ArrayList<>();
        try {
            while (b.hasRemaining()) {
                int start = b.position();
                int total = b.getInt();
                b.getInt();
                b.getInt();
                int flag = b.getInt();
                int bodyLen = b.getInt();
                if (bodyLen < 0 || bodyLen > b.remaining()) {
                    throw new RemotingProtocolException("batch entry body length " + bodyLen + " out of range");
                }
                byte[] body = new byte[bodyLen];
                b.get(body);
                int propsLen = b.getShort() & 0xFFFF;
                byte[] props = new byte[propsLen];
                b.get(props);
                if (b.position() - start != total) {
                    throw new RemotingProtocolException("batch entry size " + total + " does not match its content");
                }
                entries.add(new Entry(flag, body, new String(props, StandardCharsets.UTF_8)));
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new RemotingProtocolException("truncated batch body");
        }
        return entries;
    }
}
