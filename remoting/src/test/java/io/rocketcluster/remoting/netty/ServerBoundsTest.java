package io.rocketcluster.remoting.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RemotingFrame;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A server's bounds against clients that open too many connections or never read. */
class ServerBoundsTest {
    private static final int CODE = 4242;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final AtomicInteger served = new AtomicInteger();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        pool.shutdownNow();
    }

    private NettyRemotingServer server(NettyServerConfig config, int responseBytes) throws Exception {
        NettyRemotingServer s = new NettyRemotingServer("bounds", config, 0);
        s.registerProcessor(CODE, (ch, req) -> {
            served.incrementAndGet();
            return RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null).body(new byte[responseBytes]);
        }, pool);
        s.start();
        open.add(s);
        return s;
    }

    private static byte[] frame(int unused) {
        ByteBuf out = Unpooled.buffer();
        RemotingFrame.encode(RemotingCommand.request(CODE), out);
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        return b;
    }

    private Socket connect(NettyRemotingServer s) throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(16 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", s.localPort()), 2000);
        open.add(socket);
        return socket;
    }

    private static boolean closedByServer(Socket socket) throws Exception {
        socket.setSoTimeout(2000);
        InputStream in = socket.getInputStream();
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAndTheOthersServed() throws Exception {
        NettyServerConfig config = new NettyServerConfig();
        config.setServerMaxConnections(3);
        NettyRemotingServer s = server(config, 10);
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sockets.add(connect(s));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> s.connections() == 3);
        List<Socket> extra = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            extra.add(connect(s));
        }
        for (Socket e : extra) {
            assertThat(closedByServer(e)).as("a connection past serverMaxConnections").isTrue();
        }
        assertThat(s.refusedConnections()).isEqualTo(3);
        for (Socket ok : sockets) {
            ok.getOutputStream().write(frame(1));
            ok.setSoTimeout(5000);
            assertThat(ok.getInputStream().read()).as("an admitted connection is served").isNotEqualTo(-1);
        }
        sockets.get(0).close();
        await().atMost(Duration.ofSeconds(5)).until(() -> s.connections() == 2);
        assertThat(closedByServer(connect(s))).as("a slot freed by a close is usable").isFalse();
    }

    @Test
    void aClientThatNeverReadsStopsBeingReadInsteadOfFillingTheServersMemory() throws Exception {
        NettyServerConfig config = new NettyServerConfig();
        config.setWriteBufferHighWaterMark(512 * 1024);
        config.setWriteBufferLowWaterMark(128 * 1024);
        config.setServerSocketSndBufSize(64 * 1024);
        config.setServerMaxRequestsInFlightPerConnection(16);
        int responseBytes = 256 * 1024;
        NettyRemotingServer s = server(config, responseBytes);
        Socket greedy = connect(s);
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = greedy.getOutputStream();
                for (int i = 0; i < 2000; i++) {
                    out.write(frame(i)); // blocks once the server stops reading
                }
            } catch (Exception e) {
                // closed at the end of the test
            }
        });
        writer.setDaemon(true);
        writer.start();
        Thread.sleep(3000);
        int servedWhileStalled = served.get();
        // without back-pressure all 2,000 requests are served and ~500 MiB of responses buffered
        assertThat(servedWhileStalled).as("requests read from a client that never reads").isLessThan(200);
        try (NettyRemotingClient healthy = new NettyRemotingClient("healthy")) {
            RemotingCommand r = healthy.invokeSync("127.0.0.1:" + s.localPort(), RemotingCommand.request(CODE), 5000);
            assertThat(r.code()).as("another client is served meanwhile").isEqualTo(ResponseCode.SUCCESS);
        }
        // once the client reads, the rest is served
        InputStream in = greedy.getInputStream();
        byte[] buf = new byte[64 * 1024];
        long deadline = System.currentTimeMillis() + 20_000;
        greedy.setSoTimeout(1000);
        while (served.get() < 2000 && System.currentTimeMillis() < deadline) {
            try {
                if (in.read(buf) < 0) {
                    break;
                }
            } catch (SocketTimeoutException e) {
                // keep reading
            }
        }
        assertThat(served.get()).as("every request is served once the client reads").isGreaterThanOrEqualTo(2000);
    }

    @Test
    void aFrameTrickledSlowerThanTheFrameTimeoutClosesTheConnectionWhileACompleteOneIsServed() throws Exception {
        NettyServerConfig config = new NettyServerConfig();
        config.setServerFrameCompletionTimeoutMillis(700);
        NettyRemotingServer s = server(config, 16);
        byte[] whole = frame(0);

        Socket slow = connect(s);
        OutputStream out = slow.getOutputStream();
        long start = System.nanoTime();
        boolean closed = false;
        // one byte every 100 ms: never idle, but the frame would take seconds to complete
        for (int i = 0; i < whole.length - 1 && !closed; i++) {
            try {
                out.write(whole[i]);
                out.flush();
            } catch (java.net.SocketException e) {
                closed = true;
            }
            Thread.sleep(100);
            if (System.nanoTime() - start > 1_500_000_000L) {
                break;
            }
        }
        assertThat(closed || closedByServer(slow)).as("the trickling connection is closed").isTrue();
        assertThat(served.get()).isZero();

        Socket healthy = connect(s);
        healthy.getOutputStream().write(whole);
        healthy.getOutputStream().flush();
        await().atMost(Duration.ofSeconds(5)).until(() -> served.get() == 1);
    }
}
