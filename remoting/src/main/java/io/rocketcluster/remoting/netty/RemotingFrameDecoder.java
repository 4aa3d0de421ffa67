package io.rocketcluster.remoting.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.rocketcluster.remoting.protocol.RemotingFrame;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.concurrent.TimeUnit;

/**
 * Splits the byte stream into frames (length field stripped, at most
 * {@link RemotingFrame#MAX_FRAME_LENGTH} bytes including it) and decodes each into a command.
 * A negative or oversized length, or an undecodable header, raises an exception; the endpoint then
 * logs it once and closes the connection, as RocketMQ does.
 *
 * <p>With a frame timeout (servers: {@code serverFrameCompletionTimeoutMillis}), a frame that is still
 * incomplete that long after its first byte arrived closes the connection, so a client trickling bytes
 * (slowloris) cannot keep a partial frame buffered for ever. Not sharable: one per connection.
 */
public final class RemotingFrameDecoder extends LengthFieldBasedFrameDecoder {
    private static final Logger LOG = LogManager.getLogger(RemotingFrameDecoder.class);

    private final long frameTimeoutNanos;
    /** When the partial frame now buffered began (System.nanoTime), 0 when none; event-loop confined. */
    private long partialSince;
    private boolean checkScheduled;

    /** No frame timeout (clients). */
    public RemotingFrameDecoder() {
        this(0);
    }

    /** {@code frameTimeoutMillis <= 0}: none. */
    public RemotingFrameDecoder(long frameTimeoutMillis) {
        super(RemotingFrame.MAX_FRAME_LENGTH, 0, RemotingFrame.LENGTH_FIELD_SIZE, 0,
                RemotingFrame.LENGTH_FIELD_SIZE);
        this.frameTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, frameTimeoutMillis));
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        ByteBuf frame = (ByteBuf) super.decode(ctx, in);
        if (frameTimeoutNanos > 0) {
            track(ctx, frame != null, in.isReadable());
        }
        if (frame == null) {
            return null;
        }
        try {
            return RemotingFrame.decode(frame);
        } finally {
            frame.release();
        }
    }

    private void track(ChannelHandlerContext ctx, boolean completedOne, boolean bytesLeft) {
        if (completedOne || !bytesLeft) {
            partialSince = 0;
        }
        if (bytesLeft && partialSince == 0) {
            partialSince = System.nanoTime();
            if (!checkScheduled) {
                checkScheduled = true;
                ctx.executor().schedule(() -> check(ctx), frameTimeoutNanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    private void check(ChannelHandlerContext ctx) {
        checkScheduled = false;
        if (partialSince == 0 || !ctx.channel().isActive()) {
            return;
        }
        long age = System.nanoTime() - partialSince;
        if (age >= frameTimeoutNanos) {
            LOG.warn("closing connection {}: a frame stayed incomplete for {} ms (serverFrameCompletionTimeoutMillis)",
                    RemotingEndpoint.address(ctx.channel()), TimeUnit.NANOSECONDS.toMillis(age));
            ctx.close();
            return;
        }
        checkScheduled = true;
        ctx.executor().schedule(() -> check(ctx), frameTimeoutNanos - age, TimeUnit.NANOSECONDS);
    }
}
