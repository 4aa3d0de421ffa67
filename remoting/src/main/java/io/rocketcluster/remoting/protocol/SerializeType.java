package io.rocketcluster.remoting.protocol;

/** Header serialization of a frame: the high byte of the header-meta word (docs/remoting.md §1). */
public enum SerializeType {
    JSON((byte) 0),
    ROCKETMQ((byte) 1);

    private final byte code;

    SerializeType(byte code) {
        this.code = code;
    }

    public byte code() {
        return code;
    }

    public static SerializeType valueOf(byte code) {
        return switch (code) {
            case 0 -> JSON;
            case 1 -> ROCKETMQ;
            default -> throw new RemotingProtocolException("unknown header serialize type " + code);
        };
    }
}
