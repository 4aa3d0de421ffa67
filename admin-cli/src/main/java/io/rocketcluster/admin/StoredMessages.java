package io.rocketcluster.admin;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes stored message records as pull, query and view responses carry them (docs/store-layout.md §2.1,
 * concatenated records, §2.5), and message ids (§2.4). Compressed bodies (zlib) are inflated;
 * LZ4/ZSTD bodies are left as they are.
 */
public final class StoredMessages {
    private static final int MAGIC = 0xDAA320A7;
    private static final int MAGIC_V2 = 0xDAA320AB;
    private static final int FLAG_COMPRESSED = 0x1;
    private static final int FLAG_BORN_V6 = 0x10;
    private static final int FLAG_STORE_V6 = 0x20;

    private StoredMessages() {
    }

    /** One decoded message. */
    public record Message(String topic, int queueId, long queueOffset, long commitLogOffset, int storeSize,
                          int sysFlag, int flag, long bornTimestamp, String bornHost, long storeTimestamp,
                          String storeHost, int reconsumeTimes, long preparedTransactionOffset, int bodyCrc,
                          Map<String, String> properties, byte[] body) {
        /** The offset message id (store host + commitlog offset). */
        public String offsetMsgId() {
            return StoredMessages.offsetMsgId(storeHost, commitLogOffset);
        }

        /** The client's message id: UNIQ_KEY if present, else the offset id (what clients show as msgId). */
        public String msgId() {
            String uniq = properties.get("UNIQ_KEY");
            return uniq != null ? uniq : offsetMsgId();
        }

        public String tags() {
            return properties.get("TAGS");
        }

        public String keys() {
            return properties.get("KEYS");
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Decodes every record of a body. */
    public static List<Message> decodeAll(byte[] data) {
        List<Message> out = new ArrayList<>();
        if (data == null) {
            return out;
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.remaining() >= 8) {
            int start = b.position();
            int size = b.getInt(start);
            if (size <= 0 || size > b.remaining()) {
                break;
            }
            out.add(decode(b.slice(start, size)));
            b.position(start + size);
        }
        return out;
    }

    public static Message decode(ByteBuffer r) {
        int size = r.getInt();
        int magic = r.getInt();
        if (magic != MAGIC && magic != MAGIC_V2) {
            throw new AdminException(AdminException.REFUSED, "not a message record (magic " + Integer.toHexString(magic) + ")");
        }
        int bodyCrc = r.getInt();
        int queueId = r.getInt();
        int flag = r.getInt();
        long queueOffset = r.getLong();
        long physOffset = r.getLong();
        int sysFlag = r.getInt();
        long born = r.getLong();
        String bornHost = host(r, (sysFlag & FLAG_BORN_V6) != 0);
        long store = r.getLong();
        String storeHost = host(r, (sysFlag & FLAG_STORE_V6) != 0);
        int reconsume = r.getInt();
        long prepared = r.getLong();
        int bodyLen = r.getInt();
        byte[] body = new byte[Math.max(0, bodyLen)];
        r.get(body);
        int topicLen = magic == MAGIC_V2 ? r.getShort() & 0xFFFF : r.get() & 0xFF;
        byte[] topic = new byte[topicLen];
        r.get(topic);
        int propLen = r.getShort() & 0xFFFF;
        byte[] props = new byte[propLen];
        r.get(props);
        int compression = (sysFlag >> 8) & 0x7;
        if ((sysFlag & FLAG_COMPRESSED) != 0 && (compression == 0 || compression == 3)) {
            body = inflate(body); // compression type 0 (old clients) or 3 = zlib
        }
        return new Message(new String(topic, StandardCharsets.UTF_8), queueId, queueOffset, physOffset, size, sysFlag,
                flag, born, bornHost, store, storeHost, reconsume, prepared, bodyCrc,
                properties(new String(props, StandardCharsets.UTF_8)), body);
    }

    private static String host(ByteBuffer r, boolean v6) {
        byte[] ip = new byte[v6 ? 16 : 4];
        r.get(ip);
        int port = r.getInt();
        try {
            String a = InetAddress.getByAddress(ip).getHostAddress();
            return (v6 ? "[" + a + "]" : a) + ":" + port;
        } catch (UnknownHostException e) {
            return "?:" + port;
        }
    }

    private static byte[] inflate(byte[] in) {
        Inflater inf = new Inflater();
        try {
            inf.setInput(in);
            ByteArrayOutputStream out = new ByteArrayOutputStream(in.length * 4);
            byte[] buf = new byte[8192];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return in;
        } finally {
            inf.end();
        }
    }

    /** Properties string (docs/store-layout.md §3.1): name \u0001 value \u0002 … */
    public static Map<String, String> properties(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : s.split("\u0002")) {
            int sep = item.indexOf('\u0001');
            if (item.length() >= 3 && sep > 0 && sep < item.length() - 1) {
                out.put(item.substring(0, sep), item.substring(sep + 1));
            }
        }
        return out;
    }

    /** An offset message id: uppercase hex of store ip, port (int) and commitlog offset (long). */
    public static String offsetMsgId(String storeHost, long offset) {
        int colon = storeHost.lastIndexOf(':');
        String ip = storeHost.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(storeHost.substring(colon + 1));
        try {
            byte[] addr = InetAddress.getByName(ip).getAddress();
            ByteBuffer b = ByteBuffer.allocate(addr.length + 12);
            b.put(addr).putInt(port).putLong(offset);
            return HexFormat.of().withUpperCase().formatHex(b.array());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(storeHost, e);
        }
    }

    /** Where an offset message id points: broker address and commitlog offset; null if it is not one. */
    public record OffsetId(String brokerAddr, long offset) {
    }

    public static OffsetId decodeOffsetMsgId(String id) {
        String hex = id.trim();
        if (hex.length() != 32 && hex.length() != 56) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte[] ip = new byte[bytes.length == 16 ? 4 : 16];
        b.get(ip);
        int port = b.getInt();
        long offset = b.getLong();
        try {
            String a = InetAddress.getByAddress(ip).getHostAddress();
            return new OffsetId((ip.length == 16 ? "[" + a + "]" : a) + ":" + port, offset);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
