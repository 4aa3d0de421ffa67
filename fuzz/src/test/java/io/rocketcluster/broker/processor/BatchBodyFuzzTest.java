package io.rocketcluster.broker.processor;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rocketcluster.remoting.protocol.RemotingProtocolException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The SEND_BATCH_MESSAGE body (docs/remoting.md §5.3), decoded by the package-private {@link BatchBody#decode}
 * (hence this package). Lives in the fuzz module; see io.rocketcluster.fuzz for the other targets.
 */
class BatchBodyFuzzTest {
    private static final int ENTRY_OVERHEAD = 22;

    /**
     * Input: a batch body. Only RemotingProtocolException escapes (SendMessageProcessor answers it). The entries
     * are exactly what walking the body by its TOTALSIZE fields finds, covering every byte: flag, body bytes and
     * properties (UTF-8) of each. Re-encoded entries decode to the same entries, and where the properties were
     * valid UTF-8 the re-encoding is the input except the magic and CRC fields the broker ignores.
     */
    @FuzzTest(maxDuration = "30s")
    void decode(byte[] body) {
        List<BatchBody.Entry> entries;
        try {
            entries = BatchBody.decode(body);
        } catch (RemotingProtocolException e) {
            return;
        } catch (RuntimeException e) {
            throw new AssertionError("only RemotingProtocolException may escape, not " + e, e);
        }
        ByteBuffer in = ByteBuffer.wrap(body);
        byte[] masked = body.clone();
        for (int i = 0; i < entries.size(); i++) {
            BatchBody.Entry e = entries.get(i);
            int at = in.position();
            check(in.remaining() >= ENTRY_OVERHEAD, "entry %d starts %d bytes before the end", i, in.remaining());
            int total = in.getInt(at);
            int bodyLength = in.getInt(at + 16);
            check(bodyLength == e.body().length, "entry %d: body of %d bytes, field says %d", i, e.body().length,
                    bodyLength);
            check(Arrays.equals(body, at + 20, at + 20 + bodyLength, e.body(), 0, bodyLength), "entry %d: body", i);
            int propsLength = in.getShort(at + 20 + bodyLength) & 0xFFFF;
            check(total == ENTRY_OVERHEAD + bodyLength + propsLength, "entry %d: TOTALSIZE %d, content %d", i, total,
                    ENTRY_OVERHEAD + bodyLength + propsLength);
            check(in.getInt(at + 12) == e.flag(), "entry %d: flag", i);
            int propsAt = at + ENTRY_OVERHEAD + bodyLength;
            check(new String(body, propsAt, propsLength, StandardCharsets.UTF_8).equals(e.properties()),
                    "entry %d: properties", i);
            Arrays.fill(masked, at + 4, at + 12, (byte) 0);   // MAGICCODE and BODYCRC are not kept
            in.position(at + total);
        }
        check(!in.hasRemaining(), "%d bytes after the last of %d entries", in.remaining(), entries.size());

        byte[] again = encode(entries);
        if (again == null) {
            return;
        }
        if (entries.stream().noneMatch(e -> e.properties().contains("\uFFFD"))) {
            check(Arrays.equals(masked, again), "re-encoded batch differs from the input");
        }
        List<BatchBody.Entry> decodedAgain = BatchBody.decode(again);
        check(decodedAgain.size() == entries.size(), "re-encoded batch has %d entries, not %d", decodedAgain.size(),
                entries.size());
        for (int i = 0; i < entries.size(); i++) {
            BatchBody.Entry a = entries.get(i);
            BatchBody.Entry b = decodedAgain.get(i);
            check(a.flag() == b.flag() && Arrays.equals(a.body(), b.body()) && a.properties().equals(b.properties()),
                    "entry %d changed by re-encoding", i);
        }
    }

    private static void check(boolean condition, String what, Object... details) {
        if (!condition) {
            throw new AssertionError(String.format(what, details));
        }
    }

    /** The entries as a producer writes them (magic and CRC 0); null when properties do not fit 16 bits. */
    static byte[] encode(List<BatchBody.Entry> entries) {
        int size = 0;
        for (BatchBody.Entry e : entries) {
            int props = e.properties().getBytes(StandardCharsets.UTF_8).length;
            if (props > 0xFFFF) {
                return null;
            }
            size += ENTRY_OVERHEAD + e.body().length + props;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (BatchBody.Entry e : entries) {
            byte[] props = e.properties().getBytes(StandardCharsets.UTF_8);
            out.putInt(ENTRY_OVERHEAD + e.body().length + props.length);
            out.putInt(0);
            out.putInt(0);
            out.putInt(e.flag());
            out.putInt(e.body().length);
            out.put(e.body());
            out.putShort((short) props.length);
            out.put(props);
        }
        return out.array();
    }
}
