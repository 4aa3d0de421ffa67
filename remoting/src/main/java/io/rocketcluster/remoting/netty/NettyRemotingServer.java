package io.rocketcluster.remoting.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.net.InetSocketAddress;

/**
 * A remoting server on one TCP port. Requests run on the executors their processors were registered
 * with; the event loops only decode and encode. Closing an idle connection after
 * {@code serverChannelMaxIdleTimeSeconds} is RocketMQ's behaviour.
 *
 * <p>Bounds: at most {@code serverMaxConnections} connections (more are closed on arrival, with one
 * log line a minute); a connection whose unwritten responses pass {@code writeBufferHighWaterMark}
 * is not read again until they drain below {@code writeBufferLowWaterMark}, so a client that never
 * reads cannot make the server buffer more than that plus {@code serverMaxRequestsInFlightPerConnection}
 * responses ({@link RequestFlowControl}).
 */
public class NettyRemotingServer extends RemotingEndpoint implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(NettyRemotingServer.class);
    private static final RemotingFrameEncoder ENCODER = new RemotingFrameEncoder();

    private final String name;
    private final NettyServerConfig config;
    private final int port;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel serverChannel;
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong refusedConnections = new java.util.concurrent.atomic.AtomicLong();
    private volatile long lastRefusalLog;
    private io.rocketcluster.remoting.tls.ServerTls tls = io.rocketcluster.remoting.tls.ServerTls.off();
    private final io.rocketcluster.remoting.tls.TlsDetector.Refusals tlsRefusals =
            new io.rocketcluster.remoting.tls.TlsDetector.Refusals();

    public NettyRemotingServer(String name, NettyServerConfig config, int port) {
        this.name = name;
        this.config = config;
        this.port = port;
        setMaxRequestsInFlightPerConnection(config.getServerMaxRequestsInFlightPerConnection());
    }

    /** What the port does with TLS (docs/tls.md §3); set before {@link #start}. Plaintext only by default. */
    public void setTls(io.rocketcluster.remoting.tls.ServerTls tls) {
        this.tls = tls;
    }

    /** Connections closed because of their TLS (plaintext under enforcing, TLS while disabled), since start. */
    public long tlsRefusals() {
        return tlsRefusals.count();
    }

    /** Binds the port (0 = an ephemeral one) and starts serving. */
    public void start() throws InterruptedException {
        boss = NettyTransport.group(1, name + "-boss");
        workers = NettyTransport.group(config.getServerSelectorThreads(), name + "-io");
        int idle = config.getServerChannelMaxIdleTimeSeconds();
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NettyTransport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, false)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new io.netty.channel.WriteBufferWaterMark(
                        Math.min(config.getWriteBufferLowWaterMark(), config.getWriteBufferHighWaterMark()),
                        config.getWriteBufferHighWaterMark()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!admit(ch)) {
                            return;
                        }
                        ch.pipeline().addLast(tls.detector(name, tlsRefusals), ENCODER,
                                new RemotingFrameDecoder(config.getServerFrameCompletionTimeoutMillis()),
                                new IdleStateHandler(0, 0, idle), inboundHandler());
                    }
                });
        if (config.getServerSocketSndBufSize() > 0) {
            b.childOption(ChannelOption.SO_SNDBUF, config.getServerSocketSndBufSize());
        }
        if (config.getServerSocketRcvBufSize() > 0) {
            b.childOption(ChannelOption.SO_RCVBUF, config.getServerSocketRcvBufSize());
        }
        serverChannel = b.bind(new InetSocketAddress(port)).sync().channel();
        LOG.info("{} listening on port {} ({}, {})", name, localPort(), NettyTransport.EPOLL ? "epoll" : "nio",
                tls.describe());
    }

    /** Counts the connection, or closes it when the port already has serverMaxConnections. */
    private boolean admit(SocketChannel ch) {
        int max = config.getServerMaxConnections();
        if (connections.incrementAndGet() > max && max > 0) {
            connections.decrementAndGet();
            refusedConnections.incrementAndGet();
            long now = System.currentTimeMillis();
            if (now - lastRefusalLog > 60_000) {
                lastRefusalLog = now;
                LOG.warn("{}: closing connection from {}: serverMaxConnections {} reached ({} refused so far)", name,
                        ch.remoteAddress(), max, refusedConnections.get());
            }
            ch.close();
            return false;
        }
        ch.closeFuture().addListener(f -> connections.decrementAndGet());
        return true;
    }

    /** Connections open now. */
    public int connections() {
        return connections.get();
    }

    /** Connections closed on arrival because serverMaxConnections was reached, since start. */
    public long refusedConnections() {
        return refusedConnections.get();
    }

    public int localPort() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
