package io.rocketcluster.remoting.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.rocketcluster.remoting.netty.RemotingEndpoint;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The first handler of an accepted connection: looks at its first byte and then leaves the pipeline. A TLS
 * record starts with 0x16 (handshake); a remoting frame or an HA report starts with the high byte of a
 * length or offset, 0x00 in practice (docs/tls.md §3). TLS is answered with an SslHandler when the server has a
 * certificate and its mode allows it; plaintext is served unless the mode is ENFORCING. Anything refused is
 * closed before a byte of it is read as a request.
 */
public final class TlsDetector extends ByteToMessageDecoder {
    private static final Logger LOG = LogManager.getLogger(TlsDetector.class);
    private static final int TLS_HANDSHAKE_RECORD = 0x16;

    /** The connections one server refused, with a log line at most once a minute. */
    public static final class Refusals {
        private final AtomicLong count = new AtomicLong();
        private volatile long lastLog;

        public long count() {
            return count.get();
        }

        void refuse(ChannelHandlerContext ctx, String server, String why) {
            long n = count.incrementAndGet();
            long now = System.currentTimeMillis();
            if (now - lastLog > 60_000) {
                lastLog = now;
                LOG.warn("{}: closed connection from {}: {} ({} refused so far)", server,
                        RemotingEndpoint.address(ctx.channel()), why, n);
            }
            ctx.close();
        }
    }

    private final ServerTls tls;
    private final String server;
    private final Refusals refusals;

    TlsDetector(ServerTls tls, String server, Refusals refusals) {
        this.tls = tls;
        this.server = server;
        this.refusals = refusals;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        boolean wantsTls = in.getUnsignedByte(in.readerIndex()) == TLS_HANDSHAKE_RECORD;
        if (wantsTls && tls.context() == null) {
            in.skipBytes(in.readableBytes());
            refusals.refuse(ctx, server, "the client asked for TLS, but this server has TLS disabled "
                    + "(tls.server.mode, tls.server.certPath, tls.server.keyPath)");
        } else if (!wantsTls && tls.mode() == ServerTls.Mode.ENFORCING) {
            in.skipBytes(in.readableBytes());
            refusals.refuse(ctx, server, "plaintext connection while tls.server.mode=enforcing");
        } else if (wantsTls) {
            // the bytes read so far are handed to the SslHandler as this decoder leaves
            ctx.pipeline().replace(this, "tls", tls.context().newHandler(ctx.alloc()));
        } else {
            ctx.pipeline().remove(this);
        }
    }
}
