package io.rocketcluster.remoting.protocol;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The ROCKETMQ binary header (docs/remoting.md §2.2), big-endian:
 * <pre>
 * offset  size  field
 * 0       2     code
 * 2       1     language (byte code)
 * 3       2     version
 * 5       4     opaque
 * 9       4     flag
 * 13      4     remarkLength R (0 = none)
 * 17      R     remark, UTF-8
 * 17+R    4     extLength E (0 = none)
 * 21+R    E     repeated { keyLen:2 | key | valLen:4 | value }
 * </pre>
 * A zero-length value decodes as null (the entry is dropped); duplicate keys keep the last value.
 */
final class BinaryHeaderCodec {
    private static final int FIXED_SIZE = 21;

    private BinaryHeaderCodec() {
    }

    static byte[] encode(RemotingCommand cmd) {
        byte[] remark = cmd.remark() == null ? null : cmd.remark().getBytes(StandardCharsets.UTF_8);
        int remarkLength = remark == null ? 0 : remark.length;
        byte[][] ext = null;
        int extLength = 0;
        if (cmd.hasExtFields()) {
            Map<String, String> fields = cmd.extFields();
            ext = new byte[fields.size() * 2][];
            int i = 0;
            for (Map.Entry<String, String> e : fields.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    continue;
                }
                ext[i] = e.getKey().getBytes(StandardCharsets.UTF_8);
                ext[i + 1] = e.getValue().getBytes(StandardCharsets.UTF_8);
                extLength += 2 + ext[i].length + 4 + ext[i + 1].length;
                i += 2;
            }
        }
        ByteBuffer buf = ByteBuffer.allocate(FIXED_SIZE + remarkLength + extLength);
        buf.putShort((short) cmd.code());
        buf.put(cmd.language().code());
        buf.putShort((short) cmd.version());
        buf.putInt(cmd.opaque());
        buf.putInt(cmd.flag());
        buf.putInt(remarkLength);
        if (remark != null) {
            buf.put(remark);
        }
        buf.putInt(extLength);
        if (ext != null) {
            for (int i = 0; i < ext.length && ext[i] != null; i += 2) {
                buf.putShort((short) ext[i].length);
                buf.put(ext[i]);
                buf.putInt(ext[i + 1].length);
                buf.put(ext[i + 1]);
            }
        }
        return buf.array();
    }

    static RemotingCommand decode(byte[] header) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(header);
            int code = buf.getShort();
            LanguageCode language = LanguageCode.fromCode(buf.get());
            int version = buf.getShort();
            int opaque = buf.getInt();
            int flag = buf.getInt();
            String remark = readString(buf, buf.getInt());
            int extLength = buf.getInt();
            Map<String, String> ext = null;
            if (extLength > 0) {
                if (extLength > buf.remaining()) {
                    throw new RemotingProtocolException("binary header extFields length " + extLength
                            + " exceeds header");
                }
                ext = new HashMap<>();
                int end = buf.position() + extLength;
                while (buf.position() < end) {
                    String key = readString(buf, buf.getShort());
                    String value = readString(buf, buf.getInt());
                    if (key != null && value != null) {
                        ext.put(key, value);
                    }
                }
            }
            return RemotingCommand.decoded(code, language, version, opaque, flag, remark, ext);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new RemotingProtocolException("truncated or malformed binary header", e);
        }
    }

    private static String readString(ByteBuffer buf, int length) {
        if (length < 0 || length > buf.remaining()) {
            throw new RemotingProtocolException("binary header string length " + length + " out of range");
        }
        if (length == 0) {
            return null;
        }
        String s = new String(buf.array(), buf.position(), length, StandardCharsets.UTF_8);
        buf.position(buf.position() + length);
        return s;
    }
}
