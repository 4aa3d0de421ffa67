package io.rocketcluster.broker.ha;

import com.fasterxml.jackson.core.type.TypeReference;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rocketcluster.remoting.acl.AclSignature;
import io.rocketcluster.remoting.data.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The start of a replication link between RocketCluster brokers (docs/replication.md §8, §9). The slave
 * first sends MAGIC alone ({@link #probe}); a RocketCluster master answers {@link #probeAck}. Then, before
 * its first offset report, the slave sends a HELLO; the master answers WELCOME before its first frame. Each
 * message is
 * <pre>
 *   0   8   MAGIC (negative, so never a valid offset report)
 *   8   4   n, at most {@value #MAX_BODY} bytes
 *   12  n   a JSON object of strings: type, clusterName, brokerName, brokerId, nonce, timestamp (ms),
 *           epochs, minOffset, maxOffset; in WELCOME also peerNonce, crcFrom, crcTo, crc;
 *           with ACL on also accessKey and Signature
 * </pre>
 * {@code epochs} is the sender's epoch history ({@link Epoch#encode}; the master's with ids, the slave's
 * without), min/maxOffset its commitlog's bounds, and crc the CRC32 of the master's commitlog bytes
 * {@code [crcFrom, crcTo)} just below the offset where the master finds the two logs part.
 *
 * <p>With ACL on, Signature is the ACL request signature (HMAC-SHA1 over the other values sorted by key)
 * with the secret of {@code accessKey}, an {@code admin: true} account of the master's plain_acl.yml. The
 * slave proves it knows the secret; the master, by signing the slave's nonce with it, proves it is the
 * master that holds the account, and both check a timestamp within {@value #MAX_CLOCK_SKEW_MILLIS} ms of
 * their own clock. Always, each side checks the other names the same cluster and brokerName, brokerId 0
 * for the master and above 0 for a slave, and the slave that its nonce is echoed. Stateless.
 */
public final class HaHandshake {
    static final long MAGIC = 0xFFFF_5243_4841_0001L;
    static final int MAX_BODY = 16384;
    static final long MAX_CLOCK_SKEW_MILLIS = 5 * 60_000L;
    static final String HELLO = "hello";
    static final String WELCOME = "welcome";
    static final String REFUSAL = "refusal";
    private static final SecureRandom RANDOM = new SecureRandom();

    private HaHandshake() {
    }

    /** Who a side of the link is. */
    public record Identity(String clusterName, String brokerName, long brokerId) {
    }

    /** A key and its secret. */
    public record Keys(String accessKey, String secretKey) {
    }

    /** What an account lookup finds: its secret, and whether it may replicate (admin). */
    public record Account(String secretKey, boolean admin) {
    }

    /** A side's commitlog: its epoch history and bounds. */
    public record LogState(java.util.List<Epoch> epochs, long minOffset, long maxOffset) {
        void putInto(Map<String, String> f, boolean withIds) {
            f.put("epochs", Epoch.encode(epochs, withIds));
            f.put("minOffset", String.valueOf(minOffset));
            f.put("maxOffset", String.valueOf(maxOffset));
        }

        /** @throws IllegalArgumentException when a field is missing or not what it must be */
        static LogState from(Map<String, String> m) {
            long min = offset(m, "minOffset");
            long max = offset(m, "maxOffset");
            if (min > max) {
                throw new IllegalArgumentException("minOffset " + min + " above maxOffset " + max);
            }
            java.util.List<Epoch> epochs = Epoch.decode(m.getOrDefault("epochs", ""));
            if (!epochs.isEmpty() && epochs.get(epochs.size() - 1).startOffset() > max) {
                throw new IllegalArgumentException("an epoch starts after maxOffset " + max);
            }
            return new LogState(epochs, min, max);
        }
    }

    /** The master's check value: CRC32 of its commitlog bytes [from, to). */
    public record Crc(long from, long to, long crc) {
        void putInto(Map<String, String> f) {
            f.put("crcFrom", String.valueOf(from));
            f.put("crcTo", String.valueOf(to));
            f.put("crc", String.valueOf(crc));
        }

        static Crc from(Map<String, String> m) {
            long from = offset(m, "crcFrom");
            long to = offset(m, "crcTo");
            if (from > to) {
                throw new IllegalArgumentException("crcFrom " + from + " above crcTo " + to);
            }
            return new Crc(from, to, offset(m, "crc"));
        }
    }

    private static long offset(Map<String, String> m, String key) {
        try {
            long v = Long.parseLong(m.getOrDefault(key, ""));
            if (v < 0) {
                throw new IllegalArgumentException("negative " + key);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("no " + key);
        }
    }

    static String nonce() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * The slave's first 8 bytes: MAGIC alone, asking whether the master speaks the handshake. An Apache
     * RocketMQ master reads it as an offset report; being negative, it acknowledges nothing there
     * (replication.md §9.1), whereas a whole HELLO could be read as garbage reports.
     */
    static ByteBuf probe() {
        return Unpooled.buffer(8).writeLong(MAGIC);
    }

    /** A RocketCluster master's answer to the probe: MAGIC and -1 (an Apache heartbeat would carry size 0). */
    static ByteBuf probeAck() {
        return Unpooled.buffer(12).writeLong(MAGIC).writeInt(-1);
    }

    /** Reads the master's answer to the probe: null while fewer than 12 bytes arrived, else whether it is one. */
    static Boolean readProbeAck(ByteBuf in) {
        if (in.readableBytes() < 12) {
            return null;
        }
        boolean ack = in.getLong(in.readerIndex()) == MAGIC && in.getInt(in.readerIndex() + 8) == -1;
        if (ack) {
            in.skipBytes(12);
        }
        return ack;
    }

    /** Whether {@code in} starts with (at least the first byte of) a handshake rather than an offset report. */
    static boolean startsWithMagic(ByteBuf in) {
        return in.readableBytes() >= 8 && in.getLong(in.readerIndex()) == MAGIC;
    }

    /** @param keys null with ACL off: the HELLO is not signed */
    static ByteBuf hello(Identity self, Keys keys, String nonce, long now, LogState log) {
        Map<String, String> f = fields(HELLO, self, keys, nonce, now);
        log.putInto(f, false);
        return encode(signed(f, keys));
    }

    /**
     * A slave's last word on a link whose WELCOME it refuses (say the CRC where the logs meet differs, which
     * only the slave can see): why, so that the master fences itself (replication.md §9.3).
     */
    static ByteBuf refusal(Identity self, String why) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("type", REFUSAL);
        f.put("brokerId", String.valueOf(self.brokerId()));
        f.put("reason", why.length() > 1000 ? why.substring(0, 1000) : why);
        return encode(f);
    }

    /** @param keys null with ACL off: the WELCOME is not signed */
    static ByteBuf welcome(Identity self, Keys keys, String nonce, String peerNonce, long now, LogState log, Crc crc) {
        Map<String, String> f = fields(WELCOME, self, keys, nonce, now);
        f.put("peerNonce", peerNonce);
        log.putInto(f, true);
        crc.putInto(f);
        return encode(signed(f, keys));
    }

    /**
     * Reads one handshake message off {@code in}: null while it is incomplete (nothing consumed).
     *
     * @throws IllegalArgumentException when the bytes are not a handshake message
     */
    static Map<String, String> read(ByteBuf in) {
        if (in.readableBytes() < 12) {
            return null;
        }
        int at = in.readerIndex();
        if (in.getLong(at) != MAGIC) {
            throw new IllegalArgumentException("no handshake (the peer is not a RocketCluster broker)");
        }
        int n = in.getInt(at + 8);
        if (n < 0 || n > MAX_BODY) {
            throw new IllegalArgumentException("handshake of " + n + " bytes (at most " + MAX_BODY + ")");
        }
        if (in.readableBytes() < 12 + n) {
            return null;
        }
        byte[] body = new byte[n];
        in.getBytes(at + 12, body);
        in.skipBytes(12 + n);
        try {
            Map<String, String> m = Json.mapper().readValue(body, new TypeReference<Map<String, String>>() { });
            if (m == null) {
                throw new IllegalArgumentException("empty handshake");
            }
            return m;
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable handshake: " + e.getMessage());
        }
    }

    /**
     * Why the master refuses a slave's HELLO, or null: the same cluster and brokerName, a slave id, and with
     * ACL on a known admin account whose secret signed it and a fresh timestamp.
     *
     * @param accounts null with ACL off (an unsigned HELLO is accepted)
     */
    static String refuseHello(Map<String, String> hello, Identity master, Function<String, Account> accounts, long now) {
        String common = refuseCommon(hello, HELLO, master, accounts == null ? -1 : now);
        if (common != null) {
            return common;
        }
        if (parseId(hello.get("brokerId")) <= 0) {
            return "brokerId " + hello.get("brokerId") + " is not a slave's";
        }
        if (accounts == null) {
            return null;
        }
        Account account = hello.get("accessKey") == null ? null : accounts.apply(hello.get("accessKey"));
        if (account == null) {
            return "unknown accessKey " + hello.get("accessKey");
        }
        if (!account.admin()) {
            return "accessKey " + hello.get("accessKey") + " is not an admin account";
        }
        if (!verified(hello, account.secretKey())) {
            return "signature check failed for accessKey=" + hello.get("accessKey");
        }
        return null;
    }

    /**
     * Why a slave refuses the master's WELCOME, or null.
     *
     * @param keys null with ACL off (the WELCOME need not be signed)
     */
    static String refuseWelcome(Map<String, String> welcome, Identity slave, Keys keys, String sentNonce, long now) {
        String common = refuseCommon(welcome, WELCOME, slave, keys == null ? -1 : now);
        if (common != null) {
            return common;
        }
        if (parseId(welcome.get("brokerId")) != 0) {
            return "brokerId " + welcome.get("brokerId") + " is not a master's";
        }
        if (!sentNonce.equals(welcome.get("peerNonce"))) {
            return "the master did not echo this slave's nonce";
        }
        if (keys != null && (!keys.accessKey().equals(welcome.get("accessKey")) || !verified(welcome, keys.secretKey()))) {
            return "the master could not prove it holds this slave's account";
        }
        return null;
    }

    /** @param now -1: no timestamp check (an unsigned handshake proves nothing by its time) */
    private static String refuseCommon(Map<String, String> m, String type, Identity own, long now) {
        if (!type.equals(m.get("type"))) {
            return "expected a " + type + ", got " + m.get("type");
        }
        if (!own.clusterName().equals(m.get("clusterName")) || !own.brokerName().equals(m.get("brokerName"))) {
            return "peer is " + m.get("clusterName") + "/" + m.get("brokerName") + ", not " + own.clusterName() + "/"
                    + own.brokerName();
        }
        if (now < 0) {
            return null;
        }
        long ts;
        try {
            ts = Long.parseLong(m.getOrDefault("timestamp", ""));
        } catch (NumberFormatException e) {
            return "no timestamp";
        }
        if (Math.abs(now - ts) > MAX_CLOCK_SKEW_MILLIS) {
            return "timestamp " + ts + " is more than " + MAX_CLOCK_SKEW_MILLIS + " ms from this broker's clock";
        }
        return null;
    }

    private static long parseId(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException | NullPointerException e) {
            return -1;
        }
    }

    private static boolean verified(Map<String, String> m, String secret) {
        return AclSignature.verify(m, null, secret, m.get(AclSignature.SIGNATURE));
    }

    private static Map<String, String> fields(String type, Identity self, Keys keys, String nonce, long now) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("type", type);
        f.put("clusterName", self.clusterName());
        f.put("brokerName", self.brokerName());
        f.put("brokerId", String.valueOf(self.brokerId()));
        if (keys != null) {
            f.put("accessKey", keys.accessKey());
        }
        f.put("nonce", nonce);
        f.put("timestamp", String.valueOf(now));
        return f;
    }

    private static Map<String, String> signed(Map<String, String> f, Keys keys) {
        if (keys != null) {
            f.put(AclSignature.SIGNATURE, AclSignature.sign(f, null, keys.secretKey()));
        }
        return f;
    }

    private static ByteBuf encode(Map<String, String> m) {
        byte[] body = Json.encode(m);
        return Unpooled.buffer(12 + body.length).writeLong(MAGIC).writeInt(body.length).writeBytes(body);
    }

    static String describe(Map<String, String> m) {
        return new String(Json.encode(Map.of("clusterName", String.valueOf(m.get("clusterName")),
                "brokerName", String.valueOf(m.get("brokerName")), "brokerId", String.valueOf(m.get("brokerId")))),
                StandardCharsets.UTF_8);
    }
}
