package io.rocketcluster.broker.ha;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.rocketcluster.broker.config.MessageStoreConfig;
import io.rocketcluster.broker.store.MessageStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Constructor;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Master frames a slave must refuse (found while fuzzing the replication stream, fuzz/HaStreamFuzzTest): the
 * slave's handler checked {@code readableBytes() < 12 + size} in int arithmetic and took any size and offset.
 */
class HaFrameRegressionTest {
    private static final int FILE_SIZE = 64 * 1024;

    @TempDir
    Path dir;

    private static ByteBuf header(long offset, int size) {
        return Unpooled.buffer().writeLong(offset).writeInt(size);
    }

    /** 12 + size overflowed to a negative number, so a 12-byte header passed for a whole frame. */
    @Test
    void frameSizeNearIntMaxIsRefusedInsteadOfOverflowing() {
        ByteBuf in = header(0, Integer.MAX_VALUE - 5);
        assertThatThrownBy(() -> HaProtocol.peekFrame(in, FILE_SIZE)).isInstanceOf(CorruptedFrameException.class);
        assertThat(in.readerIndex()).isZero();
    }

    /** A size no master sends (more than a commitlog file) made the slave buffer that many bytes first. */
    @Test
    void frameLargerThanACommitLogFileIsRefusedBeforeItsBytesAreBuffered() {
        assertThatThrownBy(() -> HaProtocol.peekFrame(header(0, FILE_SIZE + 1), FILE_SIZE))
                .isInstanceOf(CorruptedFrameException.class);
        ByteBuf whole = header(0, FILE_SIZE).writeZero(FILE_SIZE);
        assertThat(HaProtocol.peekFrame(whole, FILE_SIZE)).isEqualTo(new HaProtocol.FrameHeader(0, FILE_SIZE));
        assertThat(HaProtocol.peekFrame(header(0, FILE_SIZE).writeZero(FILE_SIZE - 1), FILE_SIZE)).isNull();
    }

    /** A negative size was read as a heartbeat, a negative offset handed to the commitlog. */
    @Test
    void negativeSizeOrOffsetIsRefused() {
        assertThatThrownBy(() -> HaProtocol.peekFrame(header(0, -1), FILE_SIZE))
                .isInstanceOf(CorruptedFrameException.class);
        assertThatThrownBy(() -> HaProtocol.peekFrame(header(-4096, 8).writeLong(1), FILE_SIZE))
                .isInstanceOf(CorruptedFrameException.class);
        assertThat(HaProtocol.peekFrame(header(4096, 0), FILE_SIZE)).isEqualTo(new HaProtocol.FrameHeader(4096, 0));
        assertThat(HaProtocol.peekFrame(Unpooled.buffer().writeLong(0), FILE_SIZE)).isNull();
    }

    /**
     * Through the slave's own handler on a fresh slave: a frame announcing more than a commitlog file used to be
     * waited for (up to 2 GiB buffered), and one announcing nearly 2 GiB reached the commitlog append with an
     * out-of-range length; both now close the connection at once, with nothing appended.
     */
    @Test
    void slaveHandlerClosesOnAnOversizedFrameInsteadOfBufferingIt() throws Exception {
        for (int size : new int[] {FILE_SIZE + 1, Integer.MAX_VALUE - 5, -1}) {
            MessageStoreConfig config = new MessageStoreConfig();
            config.setStorePathRootDir(dir.resolve("store" + size).toString());
            config.setMappedFileSizeCommitLog(FILE_SIZE);
            MessageStore store = new MessageStore(config, System::currentTimeMillis);
            try (HaClient client = new HaClient(store, config)) {
                Class<?> type = Class.forName(HaClient.class.getName() + "$FrameHandler");
                Constructor<?> c = type.getDeclaredConstructor(HaClient.class);
                c.setAccessible(true);
                EmbeddedChannel channel = new EmbeddedChannel((ChannelHandler) c.newInstance(client));
                channel.writeInbound(header(0, size).writeZero(64));
                assertThat(channel.isActive()).as("connection open after a frame of %d bytes", size).isFalse();
                assertThat(store.commitLogMaxOffset()).isZero();
                channel.finishAndReleaseAll();
            }
        }
    }
}
