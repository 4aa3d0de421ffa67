package io.rocketcluster.broker.ha;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.rocketcluster.broker.config.MessageStoreConfig;
import io.rocketcluster.broker.store.MessageStore;
import io.rocketcluster.broker.store.SelectedRegion;
import io.rocketcluster.remoting.netty.NettyTransport;
import io.rocketcluster.remoting.netty.RemotingEndpoint;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The master's side of replication: accepts slaves on {@code listenPort+1} and streams the
 * commitlog to each from the offset its first report names (docs/replication.md §2.1-2.2). Each connection
 * is driven by its own event loop: a transfer is written, and the next one starts when the write
 * completes or new data is appended. Slave reports feed {@link ReplicaAcks}.
 */
public final class HaServer implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(HaServer.class);

    private final MessageStore store;
    private final MessageStoreConfig config;
    private final ReplicaAcks acks;
    private final int port;
    /** With ACL on: who this master is and the accounts slaves authenticate with; null: no handshake. */
    private final SlaveAuth auth;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel serverChannel;
    private io.rocketcluster.remoting.tls.ServerTls tls = io.rocketcluster.remoting.tls.ServerTls.off();
    private final io.rocketcluster.remoting.tls.TlsDetector.Refusals tlsRefusals =
            new io.rocketcluster.remoting.tls.TlsDetector.Refusals();

    /** What a master with ACL on checks a slave's HELLO against (docs/replication.md §8). */
    public record SlaveAuth(HaHandshake.Identity self, Function<String, HaHandshake.Account> accounts) {
    }

    public HaServer(MessageStore store, MessageStoreConfig config, int port) {
        this(store, config, port, null);
    }

    /**
     * @param auth null: slaves are not authenticated (RocketMQ 4.x's behaviour); else only a slave whose
     *             HELLO passes replicates, and only such slaves count as connected and acknowledge
     */
    public HaServer(MessageStore store, MessageStoreConfig config, int port, SlaveAuth auth) {
        this.store = store;
        this.config = config;
        this.port = port;
        this.auth = auth;
        this.acks = new ReplicaAcks(connections::size, config.getHaSlaveFallbehindMax(), config.getSlaveTimeout());
    }

    public ReplicaAcks acks() {
        return acks;
    }

    public int connectedSlaves() {
        return connections.size();
    }

    /** Bytes the best slave is behind the master's commitlog (the whole log when none has reported). */
    public long replicationLagBytes() {
        return store.commitLogMaxOffset() - Math.max(0, acks.ackedOffset());
    }

    /** TLS on the HA port, as on the broker's other ports (docs/tls.md §3); set before {@link #start}. */
    public void setTls(io.rocketcluster.remoting.tls.ServerTls tls) {
        this.tls = tls;
    }

    public void start() throws InterruptedException {
        boss = NettyTransport.group(1, "ha-boss");
        workers = NettyTransport.group(1, "ha-io");
        serverChannel = new ServerBootstrap().group(boss, workers).channel(NettyTransport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.detector("HA", tlsRefusals), new Connection(ch));
                    }
                })
                .bind(new InetSocketAddress(port)).sync().channel();
        store.addAppendListener(this::onAppend);
        LOG.info("HA service listening on port {} ({})", port, tls.describe());
    }

    private void onAppend() {
        for (Connection c : connections) {
            c.wakeup();
        }
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        connections.forEach(c -> c.channel.close());
        if (boss != null) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** One slave. All state is touched on the channel's event loop only, except the wake-up flag. */
    private final class Connection extends ChannelInboundHandlerAdapter {
        private final Channel channel;
        private final ByteBuf reports = Unpooled.buffer(64);
        private final AtomicBoolean wakeupPending = new AtomicBoolean();
        private long nextTransferOffset = -1;
        private boolean writing;
        private long lastWriteMillis = System.currentTimeMillis();
        private long lastReadMillis = System.currentTimeMillis();
        private ScheduledFuture<?> housekeeping;

        Connection(Channel channel) {
            this.channel = channel;
        }

        /** A slave counts (connected, acknowledging) only once authenticated; without ACL at once. */
        private boolean authenticated = auth == null;
        private boolean firstRead = true;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            // counted once it has reported (or authenticated): a connection that only opened a socket, or is
            // still in its TLS handshake, is not a slave that SYNC_MASTER sends could wait for
            housekeeping = ctx.executor().scheduleAtFixedRate(this::housekeeping, 1, 1, TimeUnit.SECONDS);
            LOG.info("slave {} connected", RemotingEndpoint.address(channel));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connections.remove(this);
            if (connections.isEmpty()) {
                acks.reset();
            }
            if (housekeeping != null) {
                housekeeping.cancel(false);
            }
            reports.release();
            LOG.info("slave {} disconnected", RemotingEndpoint.address(channel));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                reports.writeBytes(in);
            } finally {
                in.release();
            }
            if (!authenticated && !authenticate()) {
                return;
            }
            if (firstRead && reports.readableBytes() >= 8) {
                firstRead = false;
                if (HaHandshake.startsWithMagic(reports)) {
                    refuse("it sent a handshake, but this master has aclEnable=false (turn ACL on on both, or off on both)");
                    return;
                }
            }
            long last = -1;
            while (reports.readableBytes() >= HaProtocol.REPORT_SIZE) {
                last = reports.readLong();
            }
            reports.discardReadBytes();
            if (last < 0) {
                return;
            }
            lastReadMillis = System.currentTimeMillis();
            connections.add(this);
            long masterMax = store.commitLogMaxOffset();
            if (last > masterMax) {
                LOG.error("slave {} reports offset {} beyond this master's commitlog end {}: the master lost a tail "
                        + "the slave still has; telling the slave where this log ends", RemotingEndpoint.address(channel),
                        last, masterMax);
                channel.writeAndFlush(header(masterMax, 0)).addListener(f -> channel.close());
                return;
            }
            acks.onAck(last);
            if (nextTransferOffset < 0) {
                nextTransferOffset = last == 0 ? masterMax - masterMax % store.commitLogFileSize() : last;
                LOG.info("slave {} starts replicating from offset {}", RemotingEndpoint.address(channel), nextTransferOffset);
            }
            transfer();
        }

        /** Reads the slave's HELLO: false while it is incomplete or when the slave was refused. */
        private boolean authenticate() {
            if (reports.readableBytes() >= 8 && !HaHandshake.startsWithMagic(reports)) {
                refuse("no handshake (an Apache RocketMQ slave, or not a broker)");
                return false;
            }
            java.util.Map<String, String> hello;
            try {
                hello = HaHandshake.read(reports);
            } catch (IllegalArgumentException e) {
                refuse(e.getMessage());
                return false;
            }
            if (hello == null) {
                return false;
            }
            long now = System.currentTimeMillis();
            String why = HaHandshake.refuseHello(hello, auth.self(), auth.accounts(), now);
            if (why != null) {
                refuse(why);
                return false;
            }
            HaHandshake.Keys keys = new HaHandshake.Keys(hello.get("accessKey"),
                    auth.accounts().apply(hello.get("accessKey")).secretKey());
            channel.writeAndFlush(HaHandshake.welcome(auth.self(), keys, HaHandshake.nonce(), hello.get("nonce"), now));
            authenticated = true;
            firstRead = false;
            connections.add(this);
            reports.discardReadBytes();
            LOG.info("slave {} authenticated: {} with accessKey {}", RemotingEndpoint.address(channel),
                    HaHandshake.describe(hello), hello.get("accessKey"));
            return true;
        }

        private void refuse(String why) {
            LOG.warn("replication connection from {} refused: {}; only an authenticated slave replicates when ACL is on",
                    RemotingEndpoint.address(channel), why);
            reports.skipBytes(reports.readableBytes());
            channel.close();
        }

        void wakeup() {
            if (wakeupPending.compareAndSet(false, true)) {
                channel.eventLoop().execute(() -> {
                    wakeupPending.set(false);
                    transfer();
                });
            }
        }

        private void transfer() {
            if (writing || nextTransferOffset < 0 || !channel.isActive()) {
                return;
            }
            SelectedRegion data = store.selectCommitLog(nextTransferOffset, config.getHaTransferBatchSize());
            if (data == null) {
                return;
            }
            int size = data.size();
            long offset = nextTransferOffset;
            writing = true;
            // the mapped bytes go to the socket without a copy; the region is held until Netty wrote them
            channel.writeAndFlush(Unpooled.wrappedBuffer(header(offset, size), Unpooled.wrappedBuffer(data.buffer())))
                    .addListener(f -> {
                        data.release();
                        writing = false;
                        if (f.isSuccess()) {
                            nextTransferOffset = offset + size;
                            lastWriteMillis = System.currentTimeMillis();
                            transfer();
                        } else {
                            channel.close();
                        }
                    });
        }

        private ByteBuf header(long offset, int size) {
            return Unpooled.buffer(HaProtocol.FRAME_HEADER_SIZE).writeLong(offset).writeInt(size);
        }

        private void housekeeping() {
            long now = System.currentTimeMillis();
            if (now - lastReadMillis > config.getHaHousekeepingInterval()) {
                LOG.warn("slave {} sent no report for {} ms; closing", RemotingEndpoint.address(channel),
                        now - lastReadMillis);
                channel.close();
                return;
            }
            transfer();
            if (!writing && nextTransferOffset >= 0 && now - lastWriteMillis > config.getHaSendHeartbeatInterval()) {
                channel.writeAndFlush(header(nextTransferOffset, 0));
                lastWriteMillis = now;
            }
        }
    }
}
