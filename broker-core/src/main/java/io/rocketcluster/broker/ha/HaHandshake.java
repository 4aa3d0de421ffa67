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
 * The authenticated start of a replication link (docs/replication.md §8), used when ACL is on. Before
 * its first offset report the slave sends a HELLO; the master answers WELCOME before its first frame.
 * Each message is
 * <pre>
 *   0   8   MAGIC (negative, so never a valid offset report)
 *   8   4   n, at most {@value #MAX_BODY} bytes
 *   12  n   a JSON object of strings: type, clusterName, brokerName, brokerId, accessKey, nonce,
 *           timestamp (ms), in WELCOME also peerNonce, and Signature
 * </pre>
 * Signature is the ACL request signature (HMAC-SHA1 over the other values sorted by key) with the secret
 * of {@code accessKey}, an {@code admin: true} account of the master's plain_acl.yml. The slave proves it
 * knows the secret; the master, by signing the slave's nonce with it, proves it is the master that holds
 * the account. Each side checks the other names the same cluster and brokerName, brokerId 0 for the
 * master and above 0 for a slave, and a timestamp within {@value #MAX_CLOCK_SKEW_MILLIS} ms of its own
 * clock. Stateless.
 */
public final class HaHandshake {
    static final long MAGIC = 0xFFFF_5243_4841_0001L;
    static final int MAX_BODY = 4096;
    static final long MAX_CLOCK_SKEW_MILLIS = 5 * 60_000L;
    static final String HELLO = "hello";
    static final String WELCOME = "welcome";
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

    static String nonce() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Whether {@code in} starts with (at least the first byte of) a handshake rather than an offset report. */
    static boolean startsWithMagic(ByteBuf in) {
        return in.readableBytes() >= 8 && in.getLong(in.readerIndex()) == MAGIC;
    }

    static ByteBuf hello(Identity self, Keys keys, String nonce, long now) {
        return encode(signed(fields(HELLO, self, keys.accessKey(), nonce, now), keys.secretKey()));
    }

    static ByteBuf welcome(Identity self, Keys keys, String nonce, String peerNonce, long now) {
        Map<String, String> f = fields(WELCOME, self, keys.accessKey(), nonce, now);
        f.put("peerNonce", peerNonce);
        return encode(signed(f, keys.secretKey()));
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
            throw new IllegalArgumentException("no handshake (the peer is not a RocketCluster broker with ACL on)");
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
     * Why the master refuses a slave's HELLO, or null: the same cluster and brokerName, a slave id, a known
     * admin account whose secret signed it, a fresh timestamp.
     */
    static String refuseHello(Map<String, String> hello, Identity master, Function<String, Account> accounts, long now) {
        String common = refuseCommon(hello, HELLO, master, now);
        if (common != null) {
            return common;
        }
        if (parseId(hello.get("brokerId")) <= 0) {
            return "brokerId " + hello.get("brokerId") + " is not a slave's";
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

    /** Why a slave refuses the master's WELCOME, or null. */
    static String refuseWelcome(Map<String, String> welcome, Identity slave, Keys keys, String sentNonce, long now) {
        String common = refuseCommon(welcome, WELCOME, slave, now);
        if (common != null) {
            return common;
        }
        if (parseId(welcome.get("brokerId")) != 0) {
            return "brokerId " + welcome.get("brokerId") + " is not a master's";
        }
        if (!sentNonce.equals(welcome.get("peerNonce")) || !keys.accessKey().equals(welcome.get("accessKey"))
                || !verified(welcome, keys.secretKey())) {
            return "the master could not prove it holds this slave's account";
        }
        return null;
    }

    private static String refuseCommon(Map<String, String> m, String type, Identity own, long now) {
        if (!type.equals(m.get("type"))) {
            return "expected a " + type + ", got " + m.get("type");
        }
        if (!own.clusterName().equals(m.get("clusterName")) || !own.brokerName().equals(m.get("brokerName"))) {
            return "peer is " + m.get("clusterName") + "/" + m.get("brokerName") + ", not " + own.clusterName() + "/"
                    + own.brokerName();
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

    private static Map<String, String> fields(String type, Identity self, String accessKey, String nonce, long now) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("type", type);
        f.put("clusterName", self.clusterName());
        f.put("brokerName", self.brokerName());
        f.put("brokerId", String.valueOf(self.brokerId()));
        f.put("accessKey", accessKey);
        f.put("nonce", nonce);
        f.put("timestamp", String.valueOf(now));
        return f;
    }

    private static Map<String, String> signed(Map<String, String> f, String secret) {
        f.put(AclSignature.SIGNATURE, AclSignature.sign(f, null, secret));
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
