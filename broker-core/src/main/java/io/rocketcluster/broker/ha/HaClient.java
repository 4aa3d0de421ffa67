package io.rocketcluster.broker.ha;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The slave's side of replication: connects to the master's HA address (from {@code haMasterAddress}, else
 * from the nameservers' registration answers), agrees with the master where their logs meet, then reports
 * its commitlog end, appends every frame verbatim and reports again (docs/replication.md §2, §9).
 * Reconnects every 5 s.
 *
 * <p>The link starts with a HELLO carrying this slave's epoch history; the master's WELCOME carries its
 * own and a CRC of its log where the two meet. {@link EpochAgreement} decides: follow; save the tail of an
 * epoch the master closed to {@code <store>/ha-divergent/<from>-<to>.bin} and cut it off; or refuse and keep
 * everything (readiness, a metric and the log say so) when the master's history does not reach as far as
 * this slave's. With ACL off, a master that answers no WELCOME (Apache RocketMQ) is followed RocketMQ 4.x's
 * way, and then nothing is ever cut.
 */
public final class HaClient implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(HaClient.class);
    private static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /** How long a master that spoke no handshake is followed without one before it is asked again. */
    private static final long LEGACY_RETRY_MILLIS = 10 * 60_000;

    private final MessageStore store;
    private final MessageStoreConfig config;
    private final HaHandshake.Identity self;
    /** With ACL on: the keys this slave authenticates with; null: unsigned handshakes. */
    private final HaHandshake.Keys keys;
    private final EpochHistory epochs;
    /** Wall time for the handshake's timestamps (peers compare them); intervals use {@link HaProtocol#monotonicMillis}. */
    private volatile LongSupplier wallClock = System::currentTimeMillis;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final AtomicLong savedTails = new AtomicLong();
    private volatile io.netty.handler.ssl.SslContext tls;
    private volatile String masterHaAddress;
    private volatile Channel channel;
    private volatile long lastConnectAttempt = HaProtocol.LONG_AGO;
    private volatile long lastReadMillis;
    private volatile long lastReportMillis;
    private volatile long reportedOffset = -1;
    private volatile boolean closed;
    /** Whether the current link may carry reports and frames (the WELCOME agreed, or a legacy master). */
    private volatile boolean linkReady;
    /** The master's epochs, adopted as their data arrives; null on a legacy link. */
    private volatile List<Epoch> masterEpochs;
    /** The master address followed without a handshake (it answered none), and since when. */
    private volatile String legacyMaster;
    private volatile long legacySince = HaProtocol.LONG_AGO;
    /** Why this slave refuses its master now (replication.md §9.3), or null. */
    private volatile String refusal;
    /** An operator kept the master's data: the next refused handshake cuts where the logs meet (§9.4). */
    private volatile boolean discardOnce;
    /** An operator kept this slave's data: it follows no master until restarted (§9.4). */
    private volatile boolean stopped;

    /** A slave for tests and tools: no identity checks beyond the handshake's, ACL off. */
    public HaClient(MessageStore store, MessageStoreConfig config) throws IOException {
        this(store, config, new HaHandshake.Identity("", "", 1), null, EpochHistory.load(
                Path.of(config.getStorePathRootDir(), "epochs"), store.commitLogMaxOffset(),
                new java.security.SecureRandom()::nextLong));
    }

    /** @param keys null with ACL off (unsigned handshake, and a master without one is followed the old way) */
    public HaClient(MessageStore store, MessageStoreConfig config, HaHandshake.Identity self, HaHandshake.Keys keys,
                    EpochHistory epochs) {
        this.store = store;
        this.config = config;
        this.self = self;
        this.keys = keys;
        this.epochs = epochs;
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

    /** The wall clock whose time the handshake signs and checks (the broker's clock). */
    public void setWallClock(LongSupplier wallClock) {
        this.wallClock = wallClock;
    }

    /** TLS to the master's HA port (null: plaintext); set before {@link #start}. */
    public void setTls(io.netty.handler.ssl.SslContext tls) {
        this.tls = tls;
    }

    public void start() {
        group.scheduleWithFixedDelay(this::supervisedTick, 0, 1, TimeUnit.SECONDS);
    }

    /** Connected and replicating (the link agreed). */
    public boolean isConnected() {
        Channel ch = channel;
        return ch != null && ch.isActive() && linkReady;
    }

    public String masterHaAddress() {
        return masterHaAddress;
    }

    /** Why this slave refuses to follow its master, or null (replication.md §9.3). */
    public String refusal() {
        return refusal;
    }

    /**
     * HA_RESOLVE_DIVERGENCE keep=master: at the next handshake that this slave would refuse, save its data past
     * the point the two logs meet, cut it off there and follow the master.
     */
    public void discardDivergentDataOnce() {
        discardOnce = true;
        stopped = false;
        lastConnectAttempt = HaProtocol.LONG_AGO;
        LOG.warn("an administrator chose the master's data: at the next handshake this slave saves and cuts what the "
                + "master's history lacks");
    }

    /** HA_RESOLVE_DIVERGENCE keep=slave: follow no master (keeping every byte) until restarted. */
    public void stopFollowing() {
        stopped = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
        refusal = "an administrator kept this slave's data (HA_RESOLVE_DIVERGENCE keep=slave): promote this broker";
        LOG.warn("{}", refusal);
    }

    /** Divergent tails saved and cut off since start. */
    public long savedTails() {
        return savedTails.get();
    }

    public EpochHistory epochs() {
        return epochs;
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
        if (closed || stopped) {
            return;
        }
        long now = HaProtocol.monotonicMillis();
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
            if (keys == null) {
                followWithoutHandshake("it answered no handshake within " + HANDSHAKE_TIMEOUT_MILLIS + " ms");
            } else {
                LOG.error("no handshake answer from master {} within {} ms: with aclEnable=true this slave replicates "
                        + "only from a RocketCluster master with ACL on (an Apache RocketMQ master sends none); "
                        + "reconnecting", masterHaAddress, HANDSHAKE_TIMEOUT_MILLIS);
            }
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

    private boolean legacy(String addr) {
        return keys == null && addr.equals(legacyMaster)
                && HaProtocol.monotonicMillis() - legacySince < LEGACY_RETRY_MILLIS;
    }

    /** ACL off, and the master speaks no handshake: follow it as RocketMQ 4.x does (never cutting anything). */
    private void followWithoutHandshake(String why) {
        String addr = masterHaAddress;
        if (!addr.equals(legacyMaster)) {
            LOG.warn("master {} speaks no handshake ({}): following it as an Apache RocketMQ master, without epoch "
                    + "checks; this slave will not cut its log for it", addr, why);
        }
        legacyMaster = addr;
        legacySince = HaProtocol.monotonicMillis();
    }

    private void connect(String addr) {
        int colon = addr.lastIndexOf(':');
        ChannelFuture f = bootstrap.connect(addr.substring(0, colon), Integer.parseInt(addr.substring(colon + 1)));
        f.addListener(done -> {
            if (done.isSuccess()) {
                channel = f.channel();
                lastReadMillis = HaProtocol.monotonicMillis();
                reportedOffset = -1;
                masterEpochs = null;
                linkReady = legacy(addr);
                LOG.info("connected to master {} ({}); this slave's commitlog ends at {}", addr,
                        linkReady ? "no handshake: it is an Apache RocketMQ master" : "handshake",
                        store.commitLogMaxOffset());
                if (linkReady) {
                    report(f.channel(), true);
                } else {
                    f.channel().writeAndFlush(HaHandshake.probe());
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
        lastReportMillis = HaProtocol.monotonicMillis();
        ch.writeAndFlush(Unpooled.buffer(HaProtocol.REPORT_SIZE).writeLong(max));
    }

    private HaHandshake.LogState ownLog() {
        return new HaHandshake.LogState(epochs.epochs(), store.commitLogMinOffset(), store.commitLogMaxOffset());
    }

    /** Decodes master frames, appends them, and reports after each read burst. */
    private final class FrameHandler extends ByteToMessageDecoder {
        private String sentNonce;

        /** The master's answer to the probe: then the HELLO. False while waiting or when it is no RocketCluster master. */
        private boolean probed(ChannelHandlerContext ctx, ByteBuf in) {
            Boolean ack = HaHandshake.readProbeAck(in);
            if (ack == null) {
                return false;
            }
            if (!ack) {
                if (keys == null) {
                    followWithoutHandshake("its answer to the handshake probe is an Apache RocketMQ frame");
                    return dropLink(ctx, in);
                }
                return refuseMaster(ctx, in, "no handshake (with aclEnable=true this slave replicates only from a "
                        + "RocketCluster master with ACL on)");
            }
            sentNonce = HaHandshake.nonce();
            ctx.writeAndFlush(HaHandshake.hello(self, keys, sentNonce, wallClock.getAsLong(), ownLog()));
            return true;
        }

        /** The master's WELCOME: false while it is incomplete or when the link was refused. */
        private boolean welcomed(ChannelHandlerContext ctx, ByteBuf in) {
            Map<String, String> welcome;
            HaHandshake.LogState masterLog;
            HaHandshake.Crc crc;
            if (sentNonce == null && !probed(ctx, in)) {
                return false;
            }
            try {
                welcome = HaHandshake.read(in);
                if (welcome == null) {
                    return false;
                }
                masterLog = HaHandshake.LogState.from(welcome);
                crc = HaHandshake.Crc.from(welcome);
            } catch (IllegalArgumentException e) {
                if (keys == null) {
                    followWithoutHandshake(e.getMessage());
                    return dropLink(ctx, in);
                }
                return refuseMaster(ctx, in, e.getMessage());
            }
            String why = HaHandshake.refuseWelcome(welcome, self, keys, sentNonce, wallClock.getAsLong());
            if (why != null) {
                return refuseMaster(ctx, in, why);
            }
            if (!agree(masterLog, crc)) {
                if (refusal != null) {
                    // tell the master why, so that it stops taking writes it could never replicate here
                    in.skipBytes(in.readableBytes());
                    ctx.writeAndFlush(HaHandshake.refusal(self, refusal)).addListener(ChannelFutureListener.CLOSE);
                    return false;
                }
                return dropLink(ctx, in);
            }
            LOG.info("master {} handshake: {}, replicating from {}", masterHaAddress, HaHandshake.describe(welcome),
                    store.commitLogMaxOffset());
            masterEpochs = masterLog.epochs();
            linkReady = true;
            report(ctx.channel(), true);
            return true;
        }

        /** Applies the epoch agreement; false when this slave refuses the master (nothing was changed). */
        private boolean agree(HaHandshake.LogState master, HaHandshake.Crc crc) {
            long slaveEnd = store.commitLogMaxOffset();
            EpochAgreement.Verdict v = EpochAgreement.decide(epochs.epochs(), slaveEnd, master.epochs(),
                    master.maxOffset(), true);
            String why = v.kind() == EpochAgreement.Kind.REFUSE ? v.reason() : crcMismatch(v.offset(), crc);
            if (why != null && discardOnce) {
                discardOnce = false;
                long cut = v.offset() > 0 && crcMismatch(v.offset(), crc) == null ? v.offset() : 0;
                refusal = null;
                return cut >= slaveEnd || cutDivergentTail(cut, slaveEnd, "an administrator kept the master's data ("
                        + why + ")");
            }
            if (why != null) {
                if (!why.equals(refusal)) {
                    LOG.error("refusing to follow master {}: {}. This slave keeps all its data and stays readable; "
                            + "resolve it as replication.md §9.4 says (mqadmin haResolve)", masterHaAddress, why);
                }
                refusal = why;
                return false;
            }
            if (refusal != null) {
                LOG.warn("master {} agrees with this slave again", masterHaAddress);
                refusal = null;
            }
            if (v.kind() == EpochAgreement.Kind.TRUNCATE) {
                return cutDivergentTail(v.offset(), slaveEnd, v.reason());
            }
            return true;
        }

        private String crcMismatch(long meet, HaHandshake.Crc crc) {
            if (crc.to() != meet || meet - crc.from() > HaServer.CRC_SPAN || crc.from() < store.commitLogMinOffset()) {
                return "the master checks the logs at [" + crc.from() + ", " + crc.to() + ") but they meet at " + meet;
            }
            long own = store.commitLogCrc(crc.from(), crc.to());
            if (own != crc.crc()) {
                return "the logs differ just below offset " + meet + " (CRC32 of [" + crc.from() + ", " + crc.to()
                        + ") is " + own + " here, " + crc.crc() + " on the master)";
            }
            return null;
        }

        private boolean refuseMaster(ChannelHandlerContext ctx, ByteBuf in, String why) {
            LOG.error("replication from {} refused, nothing of it is applied: {}", masterHaAddress, why);
            return dropLink(ctx, in);
        }

        private boolean dropLink(ChannelHandlerContext ctx, ByteBuf in) {
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
                lastReadMillis = HaProtocol.monotonicMillis();
                long slaveMax = store.commitLogMaxOffset();
                if (slaveMax != 0 && offset != slaveMax) {
                    LOG.warn("master sent offset {} but this slave's commitlog ends at {}; reconnecting", offset, slaveMax);
                    in.skipBytes(in.readableBytes());
                    ctx.close();
                    return;
                }
                if (size > 0) {
                    List<Epoch> m = masterEpochs;
                    if (m != null) {
                        epochs.adopt(m, offset + size); // the epoch is on disk before its first byte is
                    }
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

    /**
     * Saves {@code [cut, slaveEnd)} (a tail from an epoch the master closed before it) and cuts the log
     * there. False, keeping everything, when it cannot be saved.
     */
    private boolean cutDivergentTail(long cut, long slaveEnd, String why) {
        if (cut < store.commitLogMinOffset()) {
            refusal = "the logs meet at " + cut + ", below this slave's oldest data (" + store.commitLogMinOffset()
                    + "); resolve it by hand (replication.md §9.4)";
            LOG.error("refusing to follow master {}: {}", masterHaAddress, refusal);
            return false;
        }
        try {
            Path file = store.saveCommitLogRange(cut, slaveEnd, Path.of(config.getStorePathRootDir(), "ha-divergent"));
            epochs.truncateFrom(cut);
            long dropped = store.truncateCommitLog(cut);
            savedTails.incrementAndGet();
            LOG.error("{}: saved this slave's {} bytes [{}, {}) to {} and cut its log at {}; following master {}",
                    why, dropped, cut, slaveEnd, file, cut, masterHaAddress);
            return true;
        } catch (IOException | RuntimeException e) {
            refusal = "cannot save the divergent tail [" + cut + ", " + slaveEnd + "): " + e;
            LOG.error("{}; keeping it and not replicating", refusal, e);
            return false;
        }
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
