package io.rocketcluster.broker.ha;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.rocketcluster.broker.config.MessageStoreConfig;
import io.rocketcluster.broker.store.MessageStore;
import io.rocketcluster.remoting.netty.NettyTransport;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The slave's side of replication: connects to the master's HA address (from
 * {@code haMasterAddress}, else from the nameservers' registration answers), reports its commitlog
 * end, appends every frame verbatim and reports again (docs/replication.md §2.1-2.2). Reconnects every 5 s.
 *
 * <p>Divergence (RocketCluster's defined behaviour): when the master's log ends before the slave's
 * (the master lost an unflushed tail in a crash), the slave does not loop on reconnects as RocketMQ
 * 4.x does. It saves the bytes the master no longer has to {@code <store>/ha-divergent/<from>-<to>.bin},
 * truncates its commitlog and consume queues to the master's end, and replicates from there, so
 * both logs are identical again and nothing is silently discarded.
 */
public final class HaClient implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(HaClient.class);
    private static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private final MessageStore store;
    private final MessageStoreConfig config;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private volatile io.netty.handler.ssl.SslContext tls;
    private volatile String masterHaAddress;
    private volatile Channel channel;
    private volatile long lastConnectAttempt;
    private volatile long lastReadMillis;
    private volatile long lastReportMillis;
    private volatile long reportedOffset = -1;
    private volatile boolean closed;
    /** With ACL on: who this slave is and the keys it authenticates with; null: no handshake. */
    private final MasterAuth auth;
    /** Whether the current link may carry reports and frames (the master's WELCOME arrived, or no ACL). */
    private volatile boolean linkReady;

    /** What a slave with ACL on sends in its HELLO and expects of the master's WELCOME (docs/replication.md §8). */
    public record MasterAuth(HaHandshake.Identity self, HaHandshake.Keys keys) {
    }

    public HaClient(MessageStore store, MessageStoreConfig config) {
        this(store, config, null);
    }

    /** @param auth null: no handshake (RocketMQ 4.x's behaviour); else the link starts with HELLO/WELCOME */
    public HaClient(MessageStore store, MessageStoreConfig config, MasterAuth auth) {
        this.store = store;
        this.config = config;
        this.auth = auth;
        this.linkReady = auth == null;
        this.group = NettyTransport.group(1, "ha-client");
        this.bootstrap = new Bootstrap().group(group).channel(NettyTransport.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        io.netty.handler.ssl.SslContext context = tls;
                        if (context != null) {
                            ch.pipeline().addLast("tls", context.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new FrameHandler());
                    }
                });
        String fixed = config.getHaMasterAddress();
        if (fixed != null && fixed.length() >= 6) {
            masterHaAddress = fixed;
        }
    }

    /** The master's HA address learned from a nameserver; ignored when {@code haMasterAddress} is set. */
    public void updateMasterAddress(String addr) {
        String fixed = config.getHaMasterAddress();
        if (addr != null && (fixed == null || fixed.length() < 6) && !addr.equals(masterHaAddress)) {
            LOG.info("master HA address is now {}", addr);
            masterHaAddress = addr;
            Channel ch = channel;
            if (ch != null) {
                ch.close();
            }
        }
    }

    /** TLS to the master's HA port (null: plaintext); set before {@link #start}. */
    public void setTls(io.netty.handler.ssl.SslContext tls) {
        this.tls = tls;
    }

    public void start() {
        group.scheduleWithFixedDelay(this::supervisedTick, 0, 1, TimeUnit.SECONDS);
    }

    public boolean isConnected() {
        Channel ch = channel;
        return ch != null && ch.isActive();
    }

    public String masterHaAddress() {
        return masterHaAddress;
    }

    /**
     * One housekeeping round. A periodic task that throws is cancelled for good, so an exception is
     * logged and the next round goes on; an Error ends the loop and is reported to the store's health
     * (readiness and metrics show it).
     */
    private void supervisedTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("HA client round failed; retrying in a second", e);
        } catch (Error e) {
            store.health().threadDied("ha-client", e);
            throw e;
        }
    }

    private void tick() {
        if (closed) {
            return;
        }
        long now = System.currentTimeMillis();
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            String addr = masterHaAddress;
            if (addr != null && now - lastConnectAttempt >= 5000) {
                lastConnectAttempt = now;
                connect(addr);
            }
            return;
        }
        if (!linkReady && now - lastReadMillis > HANDSHAKE_TIMEOUT_MILLIS) {
            LOG.error("no handshake answer from master {} within {} ms: with aclEnable=true this slave replicates only "
                    + "from a RocketCluster master with ACL on (an Apache RocketMQ master sends none); reconnecting",
                    masterHaAddress, HANDSHAKE_TIMEOUT_MILLIS);
            ch.close();
            return;
        }
        if (now - lastReadMillis > config.getHaHousekeepingInterval()) {
            LOG.warn("no data from master {} for {} ms; reconnecting", masterHaAddress, now - lastReadMillis);
            ch.close();
            return;
        }
        if (now - lastReportMillis >= config.getHaSendHeartbeatInterval()) {
            report(ch, true);
        }
    }

    private void connect(String addr) {
        int colon = addr.lastIndexOf(':');
        ChannelFuture f = bootstrap.connect(addr.substring(0, colon), Integer.parseInt(addr.substring(colon + 1)));
        f.addListener(done -> {
            if (done.isSuccess()) {
                channel = f.channel();
                lastReadMillis = System.currentTimeMillis();
                reportedOffset = -1;
                LOG.info("connected to master {}; replicating from offset {}", addr, store.commitLogMaxOffset());
                linkReady = auth == null;
                if (linkReady) {
                    report(f.channel(), true);
                } else {
                    f.channel().pipeline().get(FrameHandler.class).sendHello(f.channel());
                }
            } else {
                LOG.debug("cannot connect to master {}: {}", addr, String.valueOf(done.cause()));
            }
        });
    }

    private void report(Channel ch, boolean force) {
        if (!linkReady) {
            return;
        }
        long max = store.commitLogMaxOffset();
        if (!force && max == reportedOffset) {
            return;
        }
        reportedOffset = max;
        lastReportMillis = System.currentTimeMillis();
        ch.writeAndFlush(Unpooled.buffer(HaProtocol.REPORT_SIZE).writeLong(max));
    }

    /** Decodes master frames, appends them, and reports after each read burst. */
    private final class FrameHandler extends ByteToMessageDecoder {
        private String sentNonce;

        void sendHello(Channel ch) {
            sentNonce = HaHandshake.nonce();
            ch.writeAndFlush(HaHandshake.hello(auth.self(), auth.keys(), sentNonce, System.currentTimeMillis()));
        }

        /** The master's WELCOME: false while it is incomplete or when the master was refused. */
        private boolean welcomed(ChannelHandlerContext ctx, ByteBuf in) {
            java.util.Map<String, String> welcome;
            try {
                welcome = sentNonce == null ? null : HaHandshake.read(in);
            } catch (IllegalArgumentException e) {
                return refuseMaster(ctx, in, e.getMessage());
            }
            if (welcome == null) {
                return false;
            }
            String why = HaHandshake.refuseWelcome(welcome, auth.self(), auth.keys(), sentNonce, System.currentTimeMillis());
            if (why != null) {
                return refuseMaster(ctx, in, why);
            }
            LOG.info("master {} authenticated: {}", masterHaAddress, HaHandshake.describe(welcome));
            linkReady = true;
            report(ctx.channel(), true);
            return true;
        }

        private boolean refuseMaster(ChannelHandlerContext ctx, ByteBuf in, String why) {
            LOG.error("replication from {} refused, nothing of it is applied: {}", masterHaAddress, why);
            in.skipBytes(in.readableBytes());
            ctx.close();
            return false;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (!linkReady && !welcomed(ctx, in)) {
                return;
            }
            HaProtocol.FrameHeader frame;
            while ((frame = HaProtocol.peekFrame(in, store.commitLogFileSize())) != null) {
                long offset = frame.offset();
                int size = frame.size();
                in.skipBytes(HaProtocol.FRAME_HEADER_SIZE);
                lastReadMillis = System.currentTimeMillis();
                long slaveMax = store.commitLogMaxOffset();
                if (offset < slaveMax && size == 0 && slaveMax > 0) {
                    diverged(ctx, offset, slaveMax);
                    in.skipBytes(in.readableBytes());
                    return;
                }
                if (slaveMax != 0 && offset != slaveMax) {
                    LOG.warn("master sent offset {} but this slave's commitlog ends at {}; reconnecting", offset, slaveMax);
                    in.skipBytes(in.readableBytes());
                    ctx.close();
                    return;
                }
                if (size > 0) {
                    store.appendReplicated(offset, in.nioBuffer(in.readerIndex(), size));
                    in.skipBytes(size);
                }
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
            report(ctx.channel(), false);
            super.channelReadComplete(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.warn("replication from master {} failed: {}", masterHaAddress, cause.toString());
            ctx.close();
        }
    }

    private void diverged(ChannelHandlerContext ctx, long masterEnd, long slaveEnd) {
        try {
            Path file = store.saveCommitLogRange(masterEnd, slaveEnd,
                    Path.of(config.getStorePathRootDir(), "ha-divergent"));
            long dropped = store.truncateCommitLog(masterEnd);
            LOG.error("the master's commitlog ends at {} but this slave's at {}: the master lost that tail. "
                    + "Saved the {} bytes to {} and truncated this slave to the master's end", masterEnd, slaveEnd,
                    dropped, file);
        } catch (IOException e) {
            LOG.error("cannot save the divergent tail [{}, {}); keeping it and not replicating", masterEnd, slaveEnd, e);
            closed = true;
        }
        ctx.close();
    }

    @Override
    public void close() {
        closed = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
