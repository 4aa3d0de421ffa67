package io.rocketcluster.remoting.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.rocketcluster.remoting.protocol.RemotingCommand;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A remoting client that keeps one connection per {@code host:port} and reconnects on demand.
 * Thread-safe.
 */
public class NettyRemotingClient extends RemotingEndpoint implements AutoCloseable {
    private static final RemotingFrameEncoder ENCODER = new RemotingFrameEncoder();
    private static final int CONNECT_TIMEOUT_MILLIS = 3000;

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final Map<String, ChannelFuture> channels = new ConcurrentHashMap<>();
    private volatile io.netty.handler.ssl.SslContext tls;
    /** Set on a channel opened with TLS, so that a channel closed before its handshake is told apart. */
    private static final io.netty.util.AttributeKey<Boolean> TLS_CONNECTION =
            io.netty.util.AttributeKey.valueOf("rocketcluster.tlsConnection");

    public NettyRemotingClient(String name) {
        group = NettyTransport.group(1, name);
        bootstrap = new Bootstrap().group(group)
                .channel(NettyTransport.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        io.netty.handler.ssl.SslContext context = tls;
                        if (context != null) {
                            ch.attr(TLS_CONNECTION).set(Boolean.TRUE);
                            ch.pipeline().addLast("tls", context.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(ENCODER, new RemotingFrameDecoder(), inboundHandler());
                    }
                });
    }

    /** TLS for the connections opened from now on (null: plaintext); see ClientTls. */
    public void setTls(io.netty.handler.ssl.SslContext tls) {
        this.tls = tls;
    }

    public RemotingCommand invokeSync(String addr, RemotingCommand request, long timeoutMillis)
            throws RemotingException, InterruptedException {
        return invokeSync(channel(addr), request, timeoutMillis);
    }

    public CompletableFuture<RemotingCommand> invokeAsync(String addr, RemotingCommand request, long timeoutMillis) {
        try {
            return invokeAsync(channel(addr), request, timeoutMillis);
        } catch (RemotingException | InterruptedException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    public void invokeOneway(String addr, RemotingCommand request) throws RemotingException, InterruptedException {
        invokeOneway(channel(addr), request);
    }

    /** The open connection to {@code addr} ({@code host:port}), connecting if needed. */
    public Channel channel(String addr) throws RemotingException, InterruptedException {
        ChannelFuture f = channels.compute(addr, (a, existing) -> {
            if (existing != null && (!existing.isDone() || existing.channel().isActive())) {
                return existing;
            }
            int colon = a.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("address is not host:port: " + a);
            }
            return bootstrap.connect(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1)));
        });
        if (!f.await(CONNECT_TIMEOUT_MILLIS + 500L, TimeUnit.MILLISECONDS) || !f.isSuccess()) {
            channels.remove(addr, f);
            f.channel().close();
            throw new RemotingException("connect to " + addr + " failed", f.cause());
        }
        io.netty.handler.ssl.SslHandler ssl = f.channel().pipeline().get(io.netty.handler.ssl.SslHandler.class);
        // a peer that hangs up at once (say a server without TLS) may have closed the channel, and emptied its
        // pipeline, before we look: that too is a failed handshake, not a channel to send on
        boolean tlsChannel = ssl != null || f.channel().hasAttr(TLS_CONNECTION);
        if (tlsChannel) {
            io.netty.util.concurrent.Future<?> handshake = ssl == null ? null : ssl.handshakeFuture();
            if (handshake == null || !handshake.await(CONNECT_TIMEOUT_MILLIS + 500L, TimeUnit.MILLISECONDS)
                    || !handshake.isSuccess() || !f.channel().isActive()) {
                channels.remove(addr, f);
                f.channel().close();
                throw new RemotingException("TLS handshake with " + addr + " failed",
                        handshake == null || handshake.cause() == null ? new java.nio.channels.ClosedChannelException()
                                : handshake.cause());
            }
        }
        return f.channel();
    }

    public void closeChannel(String addr) {
        ChannelFuture f = channels.remove(addr);
        if (f != null) {
            f.channel().close();
        }
    }

    @Override
    public void close() {
        channels.values().forEach(f -> f.channel().close());
        channels.clear();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
