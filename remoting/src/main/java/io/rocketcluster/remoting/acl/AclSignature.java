package io.rocketcluster.remoting.acl;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The request signature of RocketMQ's plain ACL (docs/acl.md §1): HMAC-SHA1, keyed with the secret's
 * UTF-8 bytes, over the values of the request's ext fields but {@code Signature}, sorted by key and
 * concatenated without separators (UTF-8), followed by the body; Base64 with padding. Stateless.
 */
public final class AclSignature {
    public static final String ACCESS_KEY = "AccessKey";
    public static final String SIGNATURE = "Signature";
    public static final String SECURITY_TOKEN = "SecurityToken";
    /** Added by QUERY_MESSAGE; 4.9 clients sign it, 4.7 clients do not. */
    public static final String UNIQUE_KEY_QUERY = "_UNIQUE_KEY_QUERY";

    private AclSignature() {
    }

    /** The signature of {@code extFields} (less {@code Signature} and any key in {@code without}) and {@code body}. */
    public static String sign(Map<String, String> extFields, byte[] body, String secretKey, String... without) {
        TreeMap<String, String> sorted = new TreeMap<>(extFields);
        sorted.remove(SIGNATURE);
        for (String key : without) {
            sorted.remove(key);
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (String value : sorted.values()) {
            if (value != null) {
                content.writeBytes(value.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (body != null) {
            content.writeBytes(body);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.toByteArray()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }

    /**
     * Whether {@code signature} is the request's; for QUERY_MESSAGE either form is accepted (with or without
     * {@code _UNIQUE_KEY_QUERY}, as 4.9 and 4.7 clients sign it). Constant-time comparison.
     */
    public static boolean verify(Map<String, String> extFields, byte[] body, String secretKey, String signature) {
        if (signature == null) {
            return false;
        }
        if (equal(signature, sign(extFields, body, secretKey))) {
            return true;
        }
        return extFields.containsKey(UNIQUE_KEY_QUERY)
                && equal(signature, sign(extFields, body, secretKey, UNIQUE_KEY_QUERY));
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
