package io.rocketcluster.remoting.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RemotingFrame;

/** Encodes a command as one frame. Stateless, shared by all channels. */
@ChannelHandler.Sharable
public final class RemotingFrameEncoder extends MessageToByteEncoder<RemotingCommand> {
    @Override
    protected void encode(ChannelHandlerContext ctx, RemotingCommand msg, ByteBuf out) {
        RemotingFrame.encode(msg, out);
    }
}
