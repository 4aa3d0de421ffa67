package io.rocketcluster.broker.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * What the dispatcher and recovery need from one record read back from the commitlog: where it is,
 * which queue it belongs to and its tag/keys. {@link #parse} validates magic, sizes and (optionally)
 * the body CRC, so a torn tail is recognised.
 */
public record StoredRecord(int size, String topic, int queueId, long queueOffset, long physicalOffset,
                           int sysFlag, long storeTimestamp, String properties) {
    /** Result of parse: the 8-byte end-of-file marker. */
    public static final StoredRecord BLANK = new StoredRecord(0, null, 0, 0, 0, 0, 0, null);
    /** Result of parse: no valid record here (torn, zero or garbage bytes). */
    public static final StoredRecord INVALID = new StoredRecord(-1, null, 0, 0, 0, 0, 0, null);

    /**
     * Parses the record at {@code pos} of {@code buf}, of which bytes up to {@code limit} are written.
     */
    public static StoredRecord parse(ByteBuffer buf, int pos, int limit, boolean checkCrc) {
        if (limit - pos < MessageRecord.BLANK_MARKER_SIZE) {
            return INVALID;
        }
        int size = buf.getInt(pos);
        int magic = buf.getInt(pos + MessageRecord.MAGIC);
        if (magic == MessageRecord.MAGIC_BLANK) {
            return BLANK;
        }
        if (magic != MessageRecord.MAGIC_MESSAGE || size < MessageRecord.MIN_RECORD_SIZE || size > limit - pos) {
            return INVALID;
        }
        try {
            int sysFlag = buf.getInt(pos + MessageRecord.SYS_FLAG);
            int bodyLenAt = pos + MessageRecord.bodyLengthOffset(sysFlag);
            int bodyLen = buf.getInt(bodyLenAt);
            if (bodyLen < 0 || bodyLenAt + 4 + bodyLen + 3 > pos + size) {
                return INVALID;
            }
            if (checkCrc) {
                CRC32 crc = new CRC32();
                crc.update(buf.duplicate().position(bodyLenAt + 4).limit(bodyLenAt + 4 + bodyLen));
                if ((int) (crc.getValue() & 0x7FFFFFFF) != buf.getInt(pos + MessageRecord.BODY_CRC)) {
                    return INVALID;
                }
            }
            int topicLenAt = bodyLenAt + 4 + bodyLen;
            int topicLen = buf.get(topicLenAt) & 0xFF;
            int propsLenAt = topicLenAt + 1 + topicLen;
            int propsLen = buf.getShort(propsLenAt) & 0xFFFF;
            if (propsLenAt + 2 + propsLen != pos + size) {
                return INVALID;
            }
            String topic = string(buf, topicLenAt + 1, topicLen);
            String props = propsLen == 0 ? null : string(buf, propsLenAt + 2, propsLen);
            return new StoredRecord(size, topic, buf.getInt(pos + MessageRecord.QUEUE_ID),
                    buf.getLong(pos + MessageRecord.QUEUE_OFFSET), buf.getLong(pos + MessageRecord.PHYSICAL_OFFSET),
                    sysFlag, buf.getLong(pos + MessageRecord.storeTimestampOffset(sysFlag)), props);
        } catch (IndexOutOfBoundsException e) {
            return INVALID;
        }
    }

    private static String string(ByteBuffer buf, int at, int len) {
        byte[] b = new byte[len];
        buf.get(at, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    public boolean isMessage() {
        return size > 0;
    }

    /** Only non-transactional and committed records are consumable (get consume-queue entries). */
    public boolean isConsumable() {
        int tx = sysFlag & MessageRecord.SYSFLAG_TRANSACTION_MASK;
        return tx == 0 || tx == MessageRecord.SYSFLAG_TRANSACTION_COMMIT;
    }

    public long tagsCode() {
        return MessageProperties.tagsCode(MessageProperties.get(properties, MessageProperties.TAGS));
    }
}
