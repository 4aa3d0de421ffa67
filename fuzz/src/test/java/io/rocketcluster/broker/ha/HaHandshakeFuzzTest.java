package io.rocketcluster.broker.ha;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.Map;
import java.util.function.Function;


/**
 * The replication handshake (docs/replication.md §8) as a master reads a stranger's first bytes: {@link
 * HaHandshake#read} then {@link HaHandshake#refuseHello}. Only IllegalArgumentException escapes read; a
 * partial message consumes nothing; nothing random is ever accepted, since no input knows the secret.
 */
class HaHandshakeFuzzTest {
    private static final HaHandshake.Identity MASTER = new HaHandshake.Identity("C", "broker-a", 0);
    private static final Function<String, HaHandshake.Account> ACCOUNTS =
            ak -> "replicator".equals(ak) ? new HaHandshake.Account("replicatorSecret", true) : null;

    private static void check(boolean condition, String what, Object... details) {
        if (!condition) {
            throw new AssertionError(String.format(what, details));
        }
    }

    @FuzzTest(maxDuration = "30s")
    void masterReadsAHello(byte[] input) {
        ByteBuf in = Unpooled.wrappedBuffer(input);
        int before = in.readableBytes();
        Map<String, String> hello;
        try {
            hello = HaHandshake.read(in);
        } catch (IllegalArgumentException e) {
            return;
        }
        if (hello == null) {
            check(in.readableBytes() == before, "an incomplete handshake consumed %d bytes", before - in.readableBytes());
            return;
        }
        String refusal = HaHandshake.refuseHello(hello, MASTER, ACCOUNTS, System.currentTimeMillis());
        check(refusal != null, "a random hello was accepted: %s", hello);
    }
}
