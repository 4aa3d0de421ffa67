package io.rocketcluster.broker.store;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A whole stored record decoded (see {@link MessageRecord} for the layout), for the broker features
 * that read a message back and store a derived one: send-back to retry, scheduled delivery,
 * transaction commit.
 */
public record StoredMessage(String topic, int queueId, int flag, long queueOffset, long physicalOffset,
                            int sysFlag, long bornTimestamp, InetSocketAddress bornHost, long storeTimestamp,
                            InetSocketAddress storeHost, int reconsumeTimes, long preparedTransactionOffset,
                            byte[] body, String properties) {

    public static StoredMessage decode(ByteBuffer record) {
        int base = record.position();
        int sysFlag = record.getInt(base + MessageRecord.SYS_FLAG);
        boolean bornV6 = (sysFlag & MessageRecord.SYSFLAG_BORNHOST_V6) != 0;
        boolean storeV6 = (sysFlag & MessageRecord.SYSFLAG_STOREHOST_V6) != 0;
        InetSocketAddress born = host(record, base + MessageRecord.BORN_HOST, bornV6);
        int storeTsAt = base + MessageRecord.storeTimestampOffset(sysFlag);
        InetSocketAddress store = host(record, base + MessageRecord.storeHostOffset(sysFlag), storeV6);
        int reconsumeAt = base + MessageRecord.reconsumeTimesOffset(sysFlag);
        int bodyLenAt = base + MessageRecord.bodyLengthOffset(sysFlag);
        int bodyLen = record.getInt(bodyLenAt);
        byte[] body = new byte[bodyLen];
        record.get(bodyLenAt + 4, body);
        int topicLenAt = bodyLenAt + 4 + bodyLen;
        int topicLen = record.get(topicLenAt) & 0xFF;
        byte[] topic = new byte[topicLen];
        record.get(topicLenAt + 1, topic);
        int propsLenAt = topicLenAt + 1 + topicLen;
        int propsLen = record.getShort(propsLenAt) & 0xFFFF;
        byte[] props = new byte[propsLen];
        record.get(propsLenAt + 2, props);
        return new StoredMessage(new String(topic, StandardCharsets.UTF_8),
                record.getInt(base + MessageRecord.QUEUE_ID), record.getInt(base + MessageRecord.FLAG),
                record.getLong(base + MessageRecord.QUEUE_OFFSET), record.getLong(base + MessageRecord.PHYSICAL_OFFSET),
                sysFlag, record.getLong(base + MessageRecord.BORN_TIMESTAMP), born, record.getLong(storeTsAt), store,
                record.getInt(reconsumeAt), record.getLong(reconsumeAt + 4), body,
                new String(props, StandardCharsets.UTF_8));
    }

    private static InetSocketAddress host(ByteBuffer b, int at, boolean v6) {
        byte[] ip = new byte[v6 ? 16 : 4];
        b.get(at, ip);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), b.getInt(at + ip.length));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new message with this one's content, to be changed and stored again. */
    public MessageToStore copy() {
        MessageToStore m = new MessageToStore();
        m.topic = topic;
        m.queueId = queueId;
        m.flag = flag;
        m.body = body;
        m.properties = properties;
        m.bornTimestamp = bornTimestamp;
        m.bornHost = bornHost;
        m.storeHost = storeHost;
        m.sysFlag = sysFlag;
        m.reconsumeTimes = reconsumeTimes;
        m.preparedTransactionOffset = preparedTransactionOffset;
        return m;
    }

    public String property(String name) {
        return MessageProperties.get(properties, name);
    }
}
