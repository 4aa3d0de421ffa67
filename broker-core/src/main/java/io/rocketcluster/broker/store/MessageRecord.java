package io.rocketcluster.broker.store;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The stored message record, byte-identical to RocketMQ 4.x commitlog records and pull bodies
 * (docs/store-layout.md §2.1). Big-endian; offsets for IPv4 born and store hosts (each IPv6 host adds 12):
 * <pre>
 * offset  size   field
 * 0       4      TOTALSIZE (whole record)
 * 4       4      MAGICCODE 0xDAA320A7 (0xCBD43194 = blank end-of-file marker)
 * 8       4      BODYCRC = crc32(body) &amp; 0x7FFFFFFF
 * 12      4      QUEUEID
 * 16      4      FLAG
 * 20      8      QUEUEOFFSET            (set at append)
 * 28      8      PHYSICALOFFSET         (set at append)
 * 36      4      SYSFLAG
 * 40      8      BORNTIMESTAMP
 * 48      8/20   BORNHOST (ip, port:int)
 * 56      8      STORETIMESTAMP         (set at append)
 * 64      8/20   STOREHOSTADDRESS
 * 72      4      RECONSUMETIMES
 * 76      8      PREPARED TRANSACTION OFFSET
 * 84      4      BODYLENGTH n, then n body bytes
 * 88+n    1      TOPICLENGTH t, then t topic bytes
 * 89+n+t  2      PROPERTIESLENGTH p, then p property bytes
 * </pre>
 * Stateless helpers; records are encoded into fresh buffers and patched by the commitlog under its lock.
 */
public final class MessageRecord {
    public static final int MAGIC_MESSAGE = 0xDAA320A7;
    public static final int MAGIC_BLANK = 0xCBD43194;
    public static final int TOTAL_SIZE = 0;
    public static final int MAGIC = 4;
    public static final int BODY_CRC = 8;
    public static final int QUEUE_ID = 12;
    public static final int FLAG = 16;
    public static final int QUEUE_OFFSET = 20;
    public static final int PHYSICAL_OFFSET = 28;
    public static final int SYS_FLAG = 36;
    public static final int BORN_TIMESTAMP = 40;
    public static final int BORN_HOST = 48;
    /** Size of the blank marker written when a record does not fit the rest of a file. */
    public static final int BLANK_MARKER_SIZE = 8;
    /** The smallest record: IPv4 hosts, empty body, topic and properties. */
    public static final int MIN_RECORD_SIZE = 91;
    public static final int MAX_PROPERTIES_LENGTH = Short.MAX_VALUE;

    public static final int SYSFLAG_COMPRESSED = 0x1;
    public static final int SYSFLAG_MULTI_TAGS = 0x2;
    public static final int SYSFLAG_TRANSACTION_MASK = 0xC;
    public static final int SYSFLAG_TRANSACTION_PREPARED = 0x4;
    public static final int SYSFLAG_TRANSACTION_COMMIT = 0x8;
    public static final int SYSFLAG_TRANSACTION_ROLLBACK = 0xC;
    public static final int SYSFLAG_BORNHOST_V6 = 0x10;
    public static final int SYSFLAG_STOREHOST_V6 = 0x20;

    private MessageRecord() {
    }

    static int hostLength(boolean v6) {
        return v6 ? 20 : 8;
    }

    public static int storeTimestampOffset(int sysFlag) {
        return BORN_HOST + hostLength((sysFlag & SYSFLAG_BORNHOST_V6) != 0);
    }

    static int storeHostOffset(int sysFlag) {
        return storeTimestampOffset(sysFlag) + 8;
    }

    static int reconsumeTimesOffset(int sysFlag) {
        return storeHostOffset(sysFlag) + hostLength((sysFlag & SYSFLAG_STOREHOST_V6) != 0);
    }

    static int bodyLengthOffset(int sysFlag) {
        return reconsumeTimesOffset(sysFlag) + 4 + 8;
    }

    /** Encodes {@code m}; queue offset, physical offset and store timestamp are patched at append. */
    public static ByteBuffer encode(MessageToStore m) {
        byte[] topic = m.topic.getBytes(StandardCharsets.UTF_8);
        byte[] props = m.properties == null ? new byte[0] : m.properties.getBytes(StandardCharsets.UTF_8);
        byte[] body = m.body == null ? new byte[0] : m.body;
        if (topic.length > Byte.MAX_VALUE || props.length > MAX_PROPERTIES_LENGTH) {
            // the length fields are a signed byte and a signed short: never write a truncated length
            throw new IllegalArgumentException("a record holds a topic of at most " + Byte.MAX_VALUE
                    + " bytes and properties of at most " + MAX_PROPERTIES_LENGTH + " bytes, not " + topic.length
                    + " and " + props.length);
        }
        int sysFlag = m.sysFlag & ~(SYSFLAG_BORNHOST_V6 | SYSFLAG_STOREHOST_V6);
        boolean bornV6 = m.bornHost.getAddress() instanceof Inet6Address;
        boolean storeV6 = m.storeHost.getAddress() instanceof Inet6Address;
        if (bornV6) {
            sysFlag |= SYSFLAG_BORNHOST_V6;
        }
        if (storeV6) {
            sysFlag |= SYSFLAG_STOREHOST_V6;
        }
        int total = bodyLengthOffset(sysFlag) + 4 + body.length + 1 + topic.length + 2 + props.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.putInt(total);
        b.putInt(MAGIC_MESSAGE);
        b.putInt(crc(body));
        b.putInt(m.queueId);
        b.putInt(m.flag);
        b.putLong(0L);
        b.putLong(0L);
        b.putInt(sysFlag);
        b.putLong(m.bornTimestamp);
        putHost(b, m.bornHost);
        b.putLong(0L);
        putHost(b, m.storeHost);
        b.putInt(m.reconsumeTimes);
        b.putLong(m.preparedTransactionOffset);
        b.putInt(body.length);
        b.put(body);
        b.put((byte) topic.length);
        b.put(topic);
        b.putShort((short) props.length);
        b.put(props);
        b.flip();
        return b;
    }

    private static void putHost(ByteBuffer b, InetSocketAddress host) {
        b.put(host.getAddress().getAddress());
        b.putInt(host.getPort());
    }

    public static int crc(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body, 0, body.length);
        return (int) (crc.getValue() & 0x7FFFFFFF);
    }

    /** Sets the fields known only at append time. */
    public static void patch(ByteBuffer record, long queueOffset, long physicalOffset, long storeTimestamp) {
        int sysFlag = record.getInt(SYS_FLAG);
        record.putLong(QUEUE_OFFSET, queueOffset);
        record.putLong(PHYSICAL_OFFSET, physicalOffset);
        record.putLong(storeTimestampOffset(sysFlag), storeTimestamp);
    }

    /** The offset message id of a record stored at {@code physicalOffset} by {@code storeHost}. */
    public static String offsetMsgId(InetSocketAddress storeHost, long physicalOffset) {
        byte[] ip = storeHost.getAddress().getAddress();
        ByteBuffer b = ByteBuffer.allocate(ip.length + 4 + 8);
        b.put(ip).putInt(storeHost.getPort()).putLong(physicalOffset);
        return hex(b.array());
    }

    /** The commitlog offset inside an offset message id (IPv4: 32 hex chars, IPv6: 56). */
    public static long offsetOfMsgId(String msgId) {
        if (msgId == null || (msgId.length() != 32 && msgId.length() != 56)) {
            throw new IllegalArgumentException("not an offset message id: " + msgId);
        }
        return Long.parseUnsignedLong(msgId.substring(msgId.length() - 16), 16);
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }
}
