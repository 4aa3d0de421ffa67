package io.rocketcluster.remoting.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request or response of the RocketMQ remoting protocol: the logical header fields
 * (docs/remoting.md §2.1) plus an opaque body. Custom header fields travel as string
 * {@link #extFields()}; typed accessors parse them and name the field when it is missing or bad.
 *
 * <p>Not thread-safe: a command is built by one thread and then handed over.
 */
public final class RemotingCommand {
    /** flag bit 0: the command is a response. */
    public static final int FLAG_RESPONSE = 1;
    /** flag bit 1: the request expects no response. */
    public static final int FLAG_ONEWAY = 1 << 1;

    private static final AtomicInteger OPAQUE = new AtomicInteger();

    private int code;
    private LanguageCode language = LanguageCode.JAVA;
    private int version = RemotingVersion.CURRENT;
    private int opaque;
    private int flag;
    private String remark;
    private Map<String, String> extFields;
    private byte[] body;
    private SerializeType serializeType = SerializeType.JSON;

    public static RemotingCommand request(int code) {
        RemotingCommand cmd = new RemotingCommand();
        cmd.code = code;
        cmd.opaque = OPAQUE.getAndIncrement();
        return cmd;
    }

    /** A response to {@code request}: same opaque and serialization, response flag set. */
    public static RemotingCommand responseTo(RemotingCommand request, int code, String remark) {
        RemotingCommand cmd = new RemotingCommand();
        cmd.code = code;
        cmd.remark = remark;
        cmd.opaque = request.opaque;
        cmd.flag = FLAG_RESPONSE;
        cmd.serializeType = request.serializeType;
        return cmd;
    }

    /** Builds a decoded command; used by the codecs. */
    static RemotingCommand decoded(int code, LanguageCode language, int version, int opaque, int flag,
                                   String remark, Map<String, String> extFields) {
        RemotingCommand cmd = new RemotingCommand();
        cmd.code = code;
        cmd.language = language;
        cmd.version = version;
        cmd.opaque = opaque;
        cmd.flag = flag;
        cmd.remark = remark;
        cmd.extFields = extFields;
        return cmd;
    }

    public int code() {
        return code;
    }

    public RemotingCommand code(int code) {
        this.code = code;
        return this;
    }

    public LanguageCode language() {
        return language;
    }

    public int version() {
        return version;
    }

    public int opaque() {
        return opaque;
    }

    public int flag() {
        return flag;
    }

    public boolean isResponse() {
        return (flag & FLAG_RESPONSE) != 0;
    }

    public boolean isOneway() {
        return (flag & FLAG_ONEWAY) != 0;
    }

    public RemotingCommand markOneway() {
        flag |= FLAG_ONEWAY;
        return this;
    }

    public String remark() {
        return remark;
    }

    public RemotingCommand remark(String remark) {
        this.remark = remark;
        return this;
    }

    public byte[] body() {
        return body;
    }

    public RemotingCommand body(byte[] body) {
        this.body = body;
        return this;
    }

    public SerializeType serializeType() {
        return serializeType;
    }

    public RemotingCommand serializeType(SerializeType serializeType) {
        this.serializeType = serializeType;
        return this;
    }

    /** The custom header fields; never null. */
    public Map<String, String> extFields() {
        if (extFields == null) {
            extFields = new HashMap<>();
        }
        return extFields;
    }

    boolean hasExtFields() {
        return extFields != null && !extFields.isEmpty();
    }

    public RemotingCommand put(String key, Object value) {
        if (value != null) {
            extFields().put(key, value.toString());
        }
        return this;
    }

    public String get(String key) {
        return extFields == null ? null : extFields.get(key);
    }

    /** A mandatory string field; a missing one is a {@link RemotingProtocolException}. */
    public String require(String key) {
        String v = get(key);
        if (v == null) {
            throw new RemotingProtocolException("the custom field <" + key + "> is null");
        }
        return v;
    }

    public int requireInt(String key) {
        return parseInt(key, require(key));
    }

    public long requireLong(String key) {
        return parseLong(key, require(key));
    }

    public int getInt(String key, int dflt) {
        String v = get(key);
        return v == null || v.isEmpty() ? dflt : parseInt(key, v);
    }

    public long getLong(String key, long dflt) {
        String v = get(key);
        return v == null || v.isEmpty() ? dflt : parseLong(key, v);
    }

    public boolean getBoolean(String key, boolean dflt) {
        String v = get(key);
        return v == null || v.isEmpty() ? dflt : Boolean.parseBoolean(v);
    }

    private static int parseInt(String key, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new RemotingProtocolException("the custom field <" + key + "> is not an int: " + v);
        }
    }

    private static long parseLong(String key, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new RemotingProtocolException("the custom field <" + key + "> is not a long: " + v);
        }
    }

    @Override
    public String toString() {
        return "RemotingCommand[code=" + code + ", language=" + language + ", version=" + version
                + ", opaque=" + opaque + ", flag=" + flag + ", remark=" + remark + ", extFields=" + extFields
                + ", body=" + (body == null ? 0 : body.length) + "B, serializeType=" + serializeType + "]";
    }
}
