package io.rocketcluster.broker.ha;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.rocketcluster.broker.config.MessageStoreConfig;
import io.rocketcluster.broker.store.MessageProperties;
import io.rocketcluster.broker.store.MessageStore;
import io.rocketcluster.broker.store.MessageToStore;
import io.rocketcluster.broker.store.SelectedRegion;
import org.junit.jupiter.api.AfterAll;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The replication stream (docs/replication.md §2, {@link HaProtocol}) in both directions: the master frames a
 * slave decodes ({@link HaProtocol#peekFrame}, the framing HaClient's handler runs on), and the offset reports a
 * master reads (HaServer's per-slave handler, driven through an EmbeddedChannel against a real store).
 * In the package of the (package-private) protocol; lives in the fuzz module.
 */
class HaStreamFuzzTest {
    private static final int FILE_SIZE = 64 * 1024;
    private static final int BATCH = 4096;
    private static final int SMALL_MAX = 256;

    /**
     * Input: a byte cutting the stream into reads, a byte choosing the largest frame (a commitlog file of 1 GiB,
     * RocketMQ's default, or of 256 bytes), then the bytes a master sends. Decoded the way the slave's handler
     * loops: a header comes out only once its frame is whole, with the fields the bytes hold, never a negative
     * offset or size or one over the limit; such a header is refused (CorruptedFrameException, nothing else)
     * before any of its data is waited for, so at most one frame's bytes are ever buffered; and how the stream
     * is cut changes nothing.
     */
    @FuzzTest(maxDuration = "30s")
    void slaveFrames(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int maxSize = (input[1] & 1) == 0 ? new MessageStoreConfig().getMappedFileSizeCommitLog() : SMALL_MAX;
        byte[] stream = Arrays.copyOfRange(input, 2, input.length);
        List<String> whole = slaveDecode(stream, new int[] {stream.length}, maxSize);
        List<String> cut = slaveDecode(stream, cuts(input[0], stream.length), maxSize);
        if (!whole.equals(cut)) {
            throw new AssertionError("frames in one read " + whole + " but in several " + cut);
        }
    }

    private static List<String> slaveDecode(byte[] stream, int[] reads, int maxSize) {
        List<String> frames = new ArrayList<>();
        ByteBuf buffered = Unpooled.buffer();
        int at = 0;
        try {
            for (int n : reads) {
                buffered.writeBytes(stream, at, n);
                at += n;
                while (true) {
                    int readerIndex = buffered.readerIndex();
                    int readable = buffered.readableBytes();
                    HaProtocol.FrameHeader h;
                    try {
                        h = HaProtocol.peekFrame(buffered, maxSize);
                    } catch (RuntimeException e) {
                        if (!(e instanceof CorruptedFrameException)) {
                            throw new AssertionError("only CorruptedFrameException may escape, not " + e, e);
                        }
                        check(readable >= HaProtocol.FRAME_HEADER_SIZE, "refused a header of %d bytes", readable);
                        long offset = buffered.getLong(readerIndex);
                        int size = buffered.getInt(readerIndex + 8);
                        check(offset < 0 || size < 0 || size > maxSize, "refused offset %d size %d (max %d)", offset,
                                size, maxSize);
                        frames.add("refused");
                        return frames;
                    }
                    check(buffered.readerIndex() == readerIndex && buffered.readableBytes() == readable,
                            "peekFrame moved the buffer");
                    if (h == null) {
                        if (readable >= HaProtocol.FRAME_HEADER_SIZE) {
                            int size = buffered.getInt(readerIndex + 8);
                            check(size >= 0 && size <= maxSize && readable - HaProtocol.FRAME_HEADER_SIZE < size,
                                    "no frame from %d bytes holding a header of size %d", readable, size);
                        }
                        check(readable < HaProtocol.FRAME_HEADER_SIZE + maxSize,
                                "%d bytes buffered waiting for a frame of at most %d", readable, maxSize);
                        break;
                    }
                    check(h.offset() == buffered.getLong(readerIndex) && h.size() == buffered.getInt(readerIndex + 8),
                            "header %s does not hold the bytes' fields", h);
                    check(h.offset() >= 0 && h.size() >= 0 && h.size() <= maxSize, "accepted header %s", h);
                    check(readable >= HaProtocol.FRAME_HEADER_SIZE + h.size(), "header %s of an incomplete frame", h);
                    byte[] data = new byte[h.size()];
                    buffered.getBytes(readerIndex + HaProtocol.FRAME_HEADER_SIZE, data);
                    frames.add(h.offset() + "+" + h.size() + ":" + Arrays.hashCode(data));
                    buffered.skipBytes(HaProtocol.FRAME_HEADER_SIZE + h.size());
                }
            }
            return frames;
        } finally {
            buffered.release();
        }
    }

    // ---- master side ----------------------------------------------------------------------------------------

    private static Path storeDir;
    private static MessageStoreConfig storeConfig;
    private static MessageStore store;

    /** A started store of 50 messages over two 64 KiB commitlog files, only read by the fuzzed handler. */
    private static synchronized MessageStore masterStore() throws Exception {
        if (store == null) {
            storeDir = Files.createTempDirectory("ha-fuzz-store");
            storeConfig = new MessageStoreConfig();
            storeConfig.setStorePathRootDir(storeDir.toString());
            storeConfig.setMappedFileSizeCommitLog(FILE_SIZE);
            storeConfig.setMaxMessageSize(8 * 1024);
            storeConfig.setHaTransferBatchSize(BATCH);
            storeConfig.setMessageIndexEnable(false);
            store = new MessageStore(storeConfig, System::currentTimeMillis);
            store.start();
            InetSocketAddress host = new InetSocketAddress("127.0.0.1", 10911);
            for (int i = 0; i < 50; i++) {
                MessageToStore m = new MessageToStore();
                m.topic = "FuzzTopic";
                m.queueId = i % 2;
                m.body = ("message " + i + " ").repeat(1 + i * 37 % 400).getBytes(StandardCharsets.UTF_8);
                m.properties = MessageProperties.TAGS + MessageProperties.NAME_VALUE_SEPARATOR + "t" + i;
                m.bornTimestamp = System.currentTimeMillis();
                m.bornHost = host;
                m.storeHost = host;
                store.put(m, false).get();
            }
        }
        return store;
    }

    @AfterAll
    static void closeStore() throws IOException {
        if (store != null) {
            store.shutdown();
            store = null;
            try (Stream<Path> files = Files.walk(storeDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Input: a byte cutting the stream into reads, then the bytes a slave sends (8-byte offset reports). Driven
     * through HaServer's own per-slave handler: nothing throws; on each read the handler takes the last whole
     * report of what it has; the first usable one (0: the start of the oldest retained file) starts the transfer, which
     * then sends the log from there to its end in contiguous frames of at most haTransferBatchSize bytes, never
     * across two files, holding the store's bytes; a report beyond the log's end closes the connection (a slave
     * without a handshake is never told to cut anything); a first report that is a handshake's MAGIC (the probe
     * of a RocketCluster slave) is answered with the probe's answer and then, at most, a WELCOME: never a frame.
     */
    @FuzzTest(maxDuration = "30s")
    void masterReports(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        MessageStore s = masterStore();
        long max = s.commitLogMaxOffset();
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        int[] reads = cuts(input[0], stream.length);

        // the expected outcome, read off the reports the way the protocol defines; a first report that is the
        // handshake's MAGIC is a RocketCluster slave's probe: answered, then only a handshake can follow
        boolean handshake = stream.length >= 8 && ByteBuffer.wrap(stream, 0, 8).getLong() == HaHandshake.MAGIC;
        long start = -1;
        boolean beyond = false;
        int received = 0;
        int consumed = 0;
        for (int n : handshake ? new int[0] : reads) {
            received += n;
            long last = -1;
            while (received - consumed >= HaProtocol.REPORT_SIZE) {
                last = ByteBuffer.wrap(stream, consumed, 8).getLong();
                consumed += HaProtocol.REPORT_SIZE;
            }
            if (last < 0) {
                continue;
            }
            if (last > max) {
                beyond = true;
                break;
            }
            if (start < 0) {
                start = last == 0 ? s.commitLogMinOffset() : last;
            }
        }

        HaServer server = new HaServer(s, storeConfig, 0);   // never started: no socket
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(connection(server, channel));
        channel.pipeline().fireChannelActive();
        ByteBuf sent = Unpooled.buffer();
        try {
            int at = 0;
            for (int n : reads) {
                if (!channel.isActive()) {
                    break;
                }
                channel.writeInbound(Unpooled.copiedBuffer(stream, at, n));
                at += n;
            }
            channel.checkException();
            for (Object o; (o = channel.readOutbound()) != null; ) {
                ByteBuf b = (ByteBuf) o;
                sent.writeBytes(b);
                b.release();
            }
            if (handshake) {
                check(sent.readableBytes() >= 12 && sent.readLong() == HaHandshake.MAGIC && sent.readInt() == -1,
                        "the probe was not answered");
                if (sent.isReadable()) {
                    check(HaHandshake.read(sent) != null, "after the probe's answer, something that is no WELCOME");
                }
                check(!sent.isReadable(), "%d bytes after the WELCOME", sent.readableBytes());
                return;
            }
            check(beyond != channel.isActive(), "connection open %s after a report beyond the end: %s",
                    channel.isActive(), beyond);

            long next = start;
            while (sent.readableBytes() >= HaProtocol.FRAME_HEADER_SIZE) {
                long offset = sent.readLong();
                int size = sent.readInt();
                check(sent.readableBytes() >= size, "frame at %d announces %d bytes, %d sent", offset, size,
                        sent.readableBytes());
                check(size > 0, "empty frame at %d", offset);
                check(offset == next, "frame at %d, expected %d", offset, next);
                check(size <= BATCH, "frame of %d bytes, batch size %d", size, BATCH);
                check(offset / FILE_SIZE == (offset + size - 1) / FILE_SIZE, "frame [%d, +%d) spans two files",
                        offset, size);
                byte[] data = new byte[size];
                sent.readBytes(data);
                try (SelectedRegion r = s.selectCommitLog(offset, size)) {
                    check(r != null && Arrays.equals(data, r.copy().array()), "frame at %d: not the store's bytes",
                            offset);
                }
                next = offset + size;
            }
            check(!sent.isReadable(), "%d bytes after the last frame", sent.readableBytes());
            check(start < 0 || next == max, "transfer from %d stopped at %d, log end %d", start, next, max);
        } finally {
            sent.release();
            channel.finishAndReleaseAll();
        }
    }

    /** HaServer's private per-slave handler, as its channel initializer creates it. */
    private static ChannelHandler connection(HaServer server, Channel channel) throws Exception {
        Class<?> type = Class.forName(HaServer.class.getName() + "$Connection");
        Constructor<?> c = type.getDeclaredConstructor(HaServer.class, Channel.class);
        c.setAccessible(true);
        return (ChannelHandler) c.newInstance(server, channel);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static int[] cuts(byte seed, int length) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> reads = new ArrayList<>();
        int left = length;
        while (left > 0) {
            int n = Math.min(left, 1 + random.nextInt(Math.max(1, Math.min(24, length / 2))));
            reads.add(n);
            left -= n;
        }
        return reads.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void check(boolean condition, String what, Object... details) {
        if (!condition) {
            throw new AssertionError(String.format(what, details));
        }
    }
}
