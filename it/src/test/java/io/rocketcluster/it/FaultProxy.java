package io.rocketcluster.it;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of one local port, with network faults on demand (docs/replication.md
 * §10, the fault-injection suite):
 * <ul>
 *   <li>{@link #partition()} / {@link #heal()}: nothing crosses while partitioned. Bytes in flight wait in
 *   the proxy and the kernels' buffers, and new connections are accepted but not connected through, as
 *   when packets are dropped and retransmitted; on heal everything resumes where it stopped.</li>
 *   <li>{@link #delay}: every chunk waits this long before it is forwarded.</li>
 *   <li>{@link #reset()}: every open connection is aborted with a TCP reset on both sides.</li>
 *   <li>{@link #halfOpen()}: the server side of every open connection is reset while the client side stays
 *   open and hears nothing: the client must notice on its own.</li>
 * </ul>
 * With {@link #rewriting} the proxy decodes RocketMQ frames (4-byte length, then the frame) coming back from
 * the server and replaces strings of equal length in them: a nameserver proxy that rewrites broker
 * addresses in routes makes the official client reach the brokers through their own proxies.
 */
final class FaultProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final Map<byte[], byte[]> rewrites = new LinkedHashMap<>();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Object gate = new Object();
    private volatile boolean partitioned;
    private volatile long delayMillis;
    private volatile boolean closed;

    private FaultProxy(int listenPort, int target) throws IOException {
        this.target = target;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort));
        Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-" + listenPort + "->" + target);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy on a free port in front of 127.0.0.1:{@code target}. */
    static FaultProxy to(int target) throws IOException {
        return new FaultProxy(LocalCluster.freePort(false), target);
    }

    /**
     * A proxy whose server-to-client frames have each {@code from} replaced by its {@code to} (equal lengths,
     * so frame lengths stay right).
     */
    static FaultProxy rewriting(int target, Map<String, String> replacements) throws IOException {
        FaultProxy p = to(target);
        replacements.forEach((from, to) -> {
            if (from.length() != to.length()) {
                throw new IllegalArgumentException(from + " and " + to + " differ in length");
            }
            p.rewrites.put(from.getBytes(StandardCharsets.UTF_8), to.getBytes(StandardCharsets.UTF_8));
        });
        return p;
    }

    int port() {
        return server.getLocalPort();
    }

    String addr() {
        return "127.0.0.1:" + port();
    }

    /** Connections accepted so far (a client that reconnected after a fault shows here). */
    int accepted() {
        return accepted.get();
    }

    void partition() {
        partitioned = true;
    }

    void heal() {
        synchronized (gate) {
            partitioned = false;
            gate.notifyAll();
        }
    }

    void delay(Duration d) {
        delayMillis = d.toMillis();
    }

    void reset() {
        for (Link l : links) {
            l.abort(true);
        }
    }

    void halfOpen() {
        for (Link l : links) {
            l.abort(false);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        heal();
        server.close();
        reset();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                Thread t = new Thread(() -> open(client), "fault-proxy-open");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void open(Socket client) {
        try {
            awaitHealed();
            Socket upstream = new Socket();
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5000);
            Link link = new Link(client, upstream);
            links.add(link);
            link.start();
        } catch (IOException | InterruptedException e) {
            quietly(client, true);
        }
    }

    /** Blocks while partitioned; then sleeps the delay. */
    private void pass() throws InterruptedException {
        awaitHealed();
        long d = delayMillis;
        if (d > 0) {
            Thread.sleep(d);
        }
    }

    private void awaitHealed() throws InterruptedException {
        synchronized (gate) {
            while (partitioned && !closed) {
                gate.wait(100);
            }
        }
    }

    private static void quietly(Socket s, boolean rst) {
        try {
            if (rst) {
                s.setSoLinger(true, 0);
            }
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** One proxied connection: two pumps. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        /** Half-open: the client side is kept open but hears nothing more. */
        private volatile boolean deaf;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            daemon(() -> pumpRaw(client, upstream), "up");
            daemon(() -> {
                if (rewrites.isEmpty()) {
                    pumpRaw(upstream, client);
                } else {
                    pumpFrames(upstream, client);
                }
            }, "down");
        }

        private void daemon(Runnable r, String dir) {
            Thread t = new Thread(() -> {
                try {
                    r.run();
                } finally {
                    if (!deaf) {
                        abort(true);
                    }
                }
            }, "fault-proxy-" + dir);
            t.setDaemon(true);
            t.start();
        }

        void abort(boolean bothSides) {
            if (!bothSides) {
                deaf = true;
            }
            quietly(upstream, true);
            if (bothSides) {
                quietly(client, true);
                links.remove(this);
            }
        }

        private void pumpRaw(Socket from, Socket to) {
            byte[] buf = new byte[64 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    pass();
                    if (deaf) {
                        continue; // a half-open connection swallows what the client sends
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the link ends
            }
        }

        private void pumpFrames(Socket from, Socket to) {
            try {
                DataInputStream in = new DataInputStream(from.getInputStream());
                OutputStream out = to.getOutputStream();
                while (true) {
                    int length = in.readInt();
                    byte[] frame = new byte[4 + length];
                    frame[0] = (byte) (length >>> 24);
                    frame[1] = (byte) (length >>> 16);
                    frame[2] = (byte) (length >>> 8);
                    frame[3] = (byte) length;
                    in.readFully(frame, 4, length);
                    rewrites.forEach((a, b) -> replaceAll(frame, a, b));
                    pass();
                    out.write(frame);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the link ends
            }
        }
    }

    private static void replaceAll(byte[] data, byte[] from, byte[] to) {
        outer:
        for (int i = 0; i + from.length <= data.length; i++) {
            for (int j = 0; j < from.length; j++) {
                if (data[i + j] != from[j]) {
                    continue outer;
                }
            }
            System.arraycopy(to, 0, data, i, to.length);
            i += from.length - 1;
        }
    }
}
