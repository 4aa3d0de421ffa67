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

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The master's side of replication: accepts slaves on {@code listenPort+1} and streams the commitlog to
 * each from the offset its first report names (docs/replication.md §2.1-2.2). A RocketCluster slave starts
 * with a HELLO carrying its epoch history (§8, §9): the master answers with its own history and a CRC of
 * its log where the two meet, refuses writes ({@link WriteFence}) when the slave holds data its history
 * lacks, and counts the slave's acknowledgements only after they agree. A slave without a handshake (an
 * Apache RocketMQ slave) is served RocketMQ 4.x's stream when ACL is off; with ACL on it is refused. Each
 * connection is driven by its own event loop: a transfer is written, and the next one starts when the
 * write completes or new data is appended. Slave reports feed {@link ReplicaAcks}.
 */
public final class HaServer implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(HaServer.class);
    /** Bytes below the meeting point whose CRC the WELCOME carries. */
    static final int CRC_SPAN = 4096;

    private final MessageStore store;
    private final MessageStoreConfig config;
    private final ReplicaAcks acks;
    private final int port;
    private final HaHandshake.Identity self;
    /** With ACL on: the accounts slaves authenticate with; null: handshakes are not signed. */
    private final Function<String, HaHandshake.Account> accounts;
    private final EpochHistory epochs;
    private final WriteFence fence;
    /** Wall time for the handshake's timestamps (peers compare them); intervals use {@link HaProtocol#monotonicMillis}. */
    private volatile LongSupplier wallClock = System::currentTimeMillis;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel serverChannel;
    private io.rocketcluster.remoting.tls.ServerTls tls = io.rocketcluster.remoting.tls.ServerTls.off();
    private final io.rocketcluster.remoting.tls.TlsDetector.Refusals tlsRefusals =
            new io.rocketcluster.remoting.tls.TlsDetector.Refusals();

    /** A master for tests and tools: no identity, ACL off, the epoch history and fence under the store root. */
    public HaServer(MessageStore store, MessageStoreConfig config, int port) throws IOException {
        this(store, config, port, new HaHandshake.Identity("", "", 0), null,
                EpochHistory.load(Path.of(config.getStorePathRootDir(), "epochs"), store.commitLogMaxOffset(),
                        new java.security.SecureRandom()::nextLong),
                WriteFence.load(Path.of(config.getStorePathRootDir(), "ha-fence")));
    }

    /**
     * @param accounts null: ACL off (HELLOs are not signed, and slaves without a handshake are served); else
     *                 only a slave whose signed HELLO passes replicates
     */
    public HaServer(MessageStore store, MessageStoreConfig config, int port, HaHandshake.Identity self,
                    Function<String, HaHandshake.Account> accounts, EpochHistory epochs, WriteFence fence) {
        this.store = store;
        this.config = config;
        this.port = port;
        this.self = self;
        this.accounts = accounts;
        this.epochs = epochs;
        this.fence = fence;
        this.acks = new ReplicaAcks(config.getHaSlaveFallbehindMax(), config.getSlaveTimeout());
    }

    public ReplicaAcks acks() {
        return acks;
    }

    public int connectedSlaves() {
        return connections.size();
    }

    /** The fence this master raises when a slave holds data its log lacks. */
    public WriteFence fence() {
        return fence;
    }

    /** Bytes the best slave is behind the master's commitlog (the whole log when none has reported). */
    public long replicationLagBytes() {
        return store.commitLogMaxOffset() - Math.max(0, acks.ackedOffset());
    }

    /** The wall clock whose time the handshake signs and checks (the broker's clock). */
    public void setWallClock(LongSupplier wallClock) {
        this.wallClock = wallClock;
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

    /** How a connection's first bytes were read. */
    private enum Link { UNKNOWN, AWAIT_HELLO, HANDSHAKE, LEGACY }

    /** One slave. All state is touched on the channel's event loop only, except the wake-up flag. */
    private final class Connection extends ChannelInboundHandlerAdapter {
        private final Channel channel;
        private final ByteBuf reports = Unpooled.buffer(64);
        private final AtomicBoolean wakeupPending = new AtomicBoolean();
        private long nextTransferOffset = -1;
        private boolean writing;
        private long lastWriteMillis = HaProtocol.monotonicMillis();
        private long lastReadMillis = HaProtocol.monotonicMillis();
        private ScheduledFuture<?> housekeeping;
        private Link link = Link.UNKNOWN;
        /** "slave <brokerId> (address)" after a handshake, the connection's address without one. */
        private String name;
        /** Whose acknowledgements these are: "slave <brokerId>" after a handshake, else the connection. */
        private String ackKey;

        Connection(Channel channel) {
            this.channel = channel;
            this.name = "slave at " + RemotingEndpoint.address(channel);
            this.ackKey = name;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            // counted once it has reported: a connection that only opened a socket, or is still in its TLS
            // handshake or ours, is not a slave that SYNC_MASTER sends could wait for
            housekeeping = ctx.executor().scheduleAtFixedRate(this::housekeeping, 1, 1, TimeUnit.SECONDS);
            LOG.info("slave {} connected", RemotingEndpoint.address(channel));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connections.remove(this);
            acks.remove(ackKey);
            if (housekeeping != null) {
                housekeeping.cancel(false);
            }
            reports.release();
            LOG.info("{} disconnected", name);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                reports.writeBytes(in);
            } finally {
                in.release();
            }
            if ((link == Link.UNKNOWN || link == Link.AWAIT_HELLO) && !startLink()) {
                return;
            }
            long last = -1;
            while (reports.readableBytes() >= HaProtocol.REPORT_SIZE) {
                if (link == Link.HANDSHAKE && HaHandshake.startsWithMagic(reports)) {
                    slaveRefuses();
                    return;
                }
                last = reports.readLong();
            }
            reports.discardReadBytes();
            if (last < 0) {
                return;
            }
            lastReadMillis = HaProtocol.monotonicMillis();
            long masterMax = store.commitLogMaxOffset();
            if (last > masterMax) {
                // RocketMQ 4.x's answer: hang up. A slave with a handshake never gets here (its HELLO told
                // the master where it ends); one without is never told to cut anything
                LOG.error("{} reports offset {} beyond this master's commitlog end {}; closing (replication.md §9)",
                        name, last, masterMax);
                channel.close();
                return;
            }
            if (connections.add(this) && link == Link.HANDSHAKE) {
                fence.clearFor(ackKey); // it agreed and follows: a fence it caused is lifted
            }
            acks.onAck(ackKey, last);
            if (nextTransferOffset < 0) {
                // an empty slave gets the whole retained log, so that it holds what the master holds
                nextTransferOffset = last == 0 ? store.commitLogMinOffset() : last;
                LOG.info("{} starts replicating from offset {}", name, nextTransferOffset);
            }
            transfer();
        }

        /**
         * Reads the first bytes: the probe and then a HELLO, or a first report of a slave without a handshake.
         * False: waiting, or refused.
         */
        private boolean startLink() {
            if (reports.readableBytes() < 8) {
                return false;
            }
            if (link == Link.UNKNOWN && HaHandshake.startsWithMagic(reports)) {
                answerProbe();
                if (reports.readableBytes() < 8) {
                    return false;
                }
            }
            if (link == Link.UNKNOWN) {
                return startWithoutHandshake();
            }
            Hello hello = readHello();
            return hello != null && welcome(hello);
        }

        private void answerProbe() {
            reports.skipBytes(8);
            link = Link.AWAIT_HELLO;
            channel.writeAndFlush(HaHandshake.probeAck());
        }

        /** A first report without a probe: an Apache RocketMQ slave (ACL off only). */
        private boolean startWithoutHandshake() {
            if (accounts != null) {
                refuse("no handshake (an Apache RocketMQ slave, or not a broker)");
                return false;
            }
            link = Link.LEGACY;
            LOG.info("{} sent no handshake (an Apache RocketMQ slave?): replicating RocketMQ 4.x's way, "
                    + "without epoch checks", name);
            return true;
        }

        /** A HELLO and the log it describes. */
        private record Hello(java.util.Map<String, String> fields, HaHandshake.LogState log) {
        }

        /** The slave's HELLO once whole and accepted; null while waiting, or when refused (the link is closed). */
        private Hello readHello() {
            try {
                java.util.Map<String, String> hello = HaHandshake.read(reports);
                if (hello == null) {
                    return null;
                }
                String why = HaHandshake.refuseHello(hello, self, accounts, wallClock.getAsLong());
                if (why != null) {
                    refuse(why);
                    return null;
                }
                return new Hello(hello, HaHandshake.LogState.from(hello));
            } catch (IllegalArgumentException e) {
                refuse(e.getMessage());
                return null;
            }
        }

        /**
         * Compares the histories, answers WELCOME (this master's log and the CRC where the two meet), and
         * either takes the slave on or, when it holds data this log lacks, fences and hangs up.
         */
        private boolean welcome(Hello hello) {
            String slaveKey = "slave " + hello.fields().get("brokerId");
            name = slaveKey + " (" + RemotingEndpoint.address(channel) + ")";
            HaHandshake.LogState own = new HaHandshake.LogState(epochs.epochs(), store.commitLogMinOffset(),
                    store.commitLogMaxOffset());
            EpochAgreement.Verdict verdict = EpochAgreement.decide(hello.log().epochs(), hello.log().maxOffset(),
                    own.epochs(), own.maxOffset(), false);
            channel.writeAndFlush(HaHandshake.welcome(self, keysFor(hello.fields()), HaHandshake.nonce(),
                    hello.fields().get("nonce"), wallClock.getAsLong(), own, crcAt(verdict, hello.log(), own)));
            if (verdict.kind() == EpochAgreement.Kind.REFUSE) {
                fenceAndHangUp(slaveKey, verdict.reason());
                return false;
            }
            ackKey = slaveKey;
            link = Link.HANDSHAKE;
            reports.discardReadBytes();
            LOG.info("{} handshake: {}{}, meeting at offset {}", name, HaHandshake.describe(hello.fields()),
                    accounts == null ? "" : " with accessKey " + hello.fields().get("accessKey"), verdict.offset());
            return true;
        }

        /** The CRC of up to {@link #CRC_SPAN} bytes below where the logs meet, within what both still hold. */
        private HaHandshake.Crc crcAt(EpochAgreement.Verdict verdict, HaHandshake.LogState slave, HaHandshake.LogState own) {
            long meet = Math.min(verdict.offset(), own.maxOffset());
            long from = Math.max(Math.max(meet - CRC_SPAN, 0), Math.max(slave.minOffset(), own.minOffset()));
            from = Math.min(from, meet);
            return new HaHandshake.Crc(from, meet, store.commitLogCrc(from, meet));
        }

        /** The WELCOME's signing keys: the slave's account with ACL on, none without. */
        private HaHandshake.Keys keysFor(java.util.Map<String, String> hello) {
            return accounts == null ? null : new HaHandshake.Keys(hello.get("accessKey"),
                    accounts.apply(hello.get("accessKey")).secretKey());
        }

        /** After its WELCOME the slave refused this master (replication.md §9.3): fence, and hang up. */
        private void slaveRefuses() {
            java.util.Map<String, String> m;
            try {
                m = HaHandshake.read(reports);
            } catch (IllegalArgumentException e) {
                refuse(e.getMessage());
                return;
            }
            if (m == null) {
                return; // the rest is on its way
            }
            if (!HaHandshake.REFUSAL.equals(m.get("type"))) {
                refuse("a " + m.get("type") + " message after the handshake");
                return;
            }
            fenceAndHangUp(ackKey, "it refuses to follow this master: " + m.get("reason"));
        }

        /** {@code slaveKey} holds data this log lacks: writes stop until it is resolved (the fence logs why). */
        private void fenceAndHangUp(String slaveKey, String why) {
            fence.raise(slaveKey, why);
            reports.skipBytes(reports.readableBytes());
            channel.close();
        }

        private void refuse(String why) {
            LOG.warn("replication connection from {} refused: {}", RemotingEndpoint.address(channel), why);
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
                            lastWriteMillis = HaProtocol.monotonicMillis();
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
            long now = HaProtocol.monotonicMillis();
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
