package io.rocketcluster.remoting.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The remoting frame (docs/remoting.md §1), big-endian:
 * <pre>
 * offset  size  field
 * 0       4     frameLength = 4 + H + B   (bytes that follow this field)
 * 4       4     headerMeta  = serializeType &lt;&lt; 24 | H
 * 8       H     header (JSON text or ROCKETMQ binary)
 * 8+H     B     body
 * </pre>
 * The length field is stripped by the frame decoder; {@link #decode} sees headerMeta onwards.
 */
public final class RemotingFrame {
    public static final int LENGTH_FIELD_SIZE = 4;
    public static final int HEADER_META_SIZE = 4;
    /** Largest frame including the 4-byte length field, as RocketMQ (property com.rocketmq.remoting.frameMaxLength). */
    public static final int MAX_FRAME_LENGTH =
            Integer.getInteger("com.rocketmq.remoting.frameMaxLength", 16 * 1024 * 1024);
    private static final int HEADER_LENGTH_MASK = 0x00FFFFFF;

    private RemotingFrame() {
    }

    /** Writes the whole frame, length field included, into {@code out}. */
    public static void encode(RemotingCommand cmd, ByteBuf out) {
        byte[] header = cmd.serializeType() == SerializeType.ROCKETMQ
                ? BinaryHeaderCodec.encode(cmd) : JsonHeaderCodec.encode(cmd);
        byte[] body = cmd.body();
        int bodyLength = body == null ? 0 : body.length;
        out.ensureWritable(LENGTH_FIELD_SIZE + HEADER_META_SIZE + header.length + bodyLength);
        out.writeInt(HEADER_META_SIZE + header.length + bodyLength);
        out.writeInt((cmd.serializeType().code() << 24) | (header.length & HEADER_LENGTH_MASK));
        out.writeBytes(header);
        if (bodyLength > 0) {
            out.writeBytes(body);
        }
    }

    /** Decodes a frame whose length field has been stripped; the buffer is consumed, not released. */
    public static RemotingCommand decode(ByteBuf frame) {
        int frameLength = frame.readableBytes();
        if (frameLength < HEADER_META_SIZE) {
            throw new RemotingProtocolException("frame of " + frameLength + " bytes has no header length");
        }
        int meta = frame.readInt();
        SerializeType type = SerializeType.valueOf((byte) ((meta >>> 24) & 0xFF));
        int headerLength = meta & HEADER_LENGTH_MASK;
        if (headerLength > frameLength - HEADER_META_SIZE) {
            throw new RemotingProtocolException("header length " + headerLength
                    + " exceeds frame length " + frameLength);
        }
        byte[] header = new byte[headerLength];
        frame.readBytes(header);
        RemotingCommand cmd = type == SerializeType.ROCKETMQ
                ? BinaryHeaderCodec.decode(header) : JsonHeaderCodec.decode(header);
        cmd.serializeType(type);
        int bodyLength = frame.readableBytes();
        if (bodyLength > 0) {
            byte[] body = new byte[bodyLength];
            frame.readBytes(body);
            cmd.body(body);
        }
        return cmd;
    }
}
