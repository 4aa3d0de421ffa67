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

    public NettyRemotingServer(String name, NettyServerConfig config, int port) {
        this.name = name;
        this.config = config;
        this.port = port;
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
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(ENCODER, new RemotingFrameDecoder(),
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
        LOG.info("{} listening on port {} ({})", name, localPort(), NettyTransport.EPOLL ? "epoll" : "nio");
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
