package io.rocketcluster.remoting.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.rocketcluster.remoting.protocol.RemotingFrame;

/**
 * Splits the byte stream into frames (length field stripped, at most
 * {@link RemotingFrame#MAX_FRAME_LENGTH} bytes including it) and decodes each into a command.
 * A negative or oversized length, or an undecodable header, raises an exception; the endpoint then
 * logs it once and closes the connection, as RocketMQ does.
 */
public final class RemotingFrameDecoder extends LengthFieldBasedFrameDecoder {
    public RemotingFrameDecoder() {
        super(RemotingFrame.MAX_FRAME_LENGTH, 0, RemotingFrame.LENGTH_FIELD_SIZE, 0,
                RemotingFrame.LENGTH_FIELD_SIZE);
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        ByteBuf frame = (ByteBuf) super.decode(ctx, in);
        if (frame == null) {
            return null;
        }
        try {
            return RemotingFrame.decode(frame);
        } finally {
            frame.release();
        }
    }
}
