package io.rocketcluster.broker.ha;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HaHandshakeTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final HaHandshake.Identity MASTER = new HaHandshake.Identity("C", "broker-a", 0);
    private static final HaHandshake.Identity SLAVE = new HaHandshake.Identity("C", "broker-a", 1);
    private static final HaHandshake.Keys KEYS = new HaHandshake.Keys("replicator", "replicatorSecret");
    private static final Function<String, HaHandshake.Account> ACCOUNTS = ak -> switch (ak) {
        case "replicator" -> new HaHandshake.Account("replicatorSecret", true);
        case "producer1" -> new HaHandshake.Account("producerSecret", false);
        default -> null;
    };

    private static final HaHandshake.LogState LOG = new HaHandshake.LogState(
            java.util.List.of(new Epoch(1, 0, 0x1234), new Epoch(2, 4096, 0xabcdL)), 0, 8192);
    private static final HaHandshake.Crc CRC = new HaHandshake.Crc(4096, 8192, 99);

    private static Map<String, String> roundTrip(ByteBuf encoded) {
        Map<String, String> m = HaHandshake.read(encoded);
        assertThat(encoded.readableBytes()).isZero();
        return m;
    }

    @Test
    void aSlaveAndItsMasterAuthenticateEachOther() {
        Map<String, String> hello = roundTrip(HaHandshake.hello(SLAVE, KEYS, "n1", NOW, LOG));
        assertThat(HaHandshake.refuseHello(hello, MASTER, ACCOUNTS, NOW + 1000)).isNull();
        HaHandshake.LogState slaveLog = HaHandshake.LogState.from(hello);
        assertThat(slaveLog.epochs()).as("the slave sends its epochs without their ids")
                .containsExactly(new Epoch(1, 0, 0), new Epoch(2, 4096, 0));
        assertThat(slaveLog.maxOffset()).isEqualTo(8192);
        Map<String, String> welcome = roundTrip(HaHandshake.welcome(MASTER, KEYS, "n2", "n1", NOW, LOG, CRC));
        assertThat(HaHandshake.refuseWelcome(welcome, SLAVE, KEYS, "n1", NOW)).isNull();
        assertThat(HaHandshake.LogState.from(welcome)).isEqualTo(LOG);
        assertThat(HaHandshake.Crc.from(welcome)).isEqualTo(CRC);
    }

    @Test
    void withAclOffTheHandshakeIsUnsignedAndItsTimeIsNotChecked() {
        Map<String, String> hello = roundTrip(HaHandshake.hello(SLAVE, null, "n1", NOW, LOG));
        assertThat(hello).doesNotContainKeys("accessKey", "Signature");
        assertThat(HaHandshake.refuseHello(hello, MASTER, null, NOW + 10 * HaHandshake.MAX_CLOCK_SKEW_MILLIS)).isNull();
        assertThat(HaHandshake.refuseHello(hello, MASTER, ACCOUNTS, NOW)).as("ACL on wants a key")
                .contains("unknown accessKey");
        Map<String, String> welcome = roundTrip(HaHandshake.welcome(MASTER, null, "n2", "n1", NOW, LOG, CRC));
        assertThat(HaHandshake.refuseWelcome(welcome, SLAVE, null, "n1", NOW)).isNull();
        assertThat(HaHandshake.refuseWelcome(welcome, SLAVE, KEYS, "n1", NOW)).as("ACL on wants a signature")
                .contains("could not prove");
        assertThat(HaHandshake.refuseWelcome(welcome, new HaHandshake.Identity("C", "broker-b", 1), null, "n1", NOW))
                .contains("not C/broker-b");
    }

    @Test
    void theProbeAndItsAnswerAreToldApartFromAnApacheHeartbeat() {
        ByteBuf probe = HaHandshake.probe();
        assertThat(probe.readableBytes()).isEqualTo(8);
        assertThat(probe.getLong(0)).as("a negative offset report: acknowledges nothing on an Apache master").isNegative();
        assertThat(HaHandshake.readProbeAck(HaHandshake.probeAck())).isTrue();
        ByteBuf apacheHeartbeat = Unpooled.buffer().writeLong(HaHandshake.MAGIC).writeInt(0);
        assertThat(HaHandshake.readProbeAck(apacheHeartbeat)).isFalse();
        assertThat(HaHandshake.readProbeAck(Unpooled.buffer().writeLong(HaHandshake.MAGIC))).isNull();
    }

    @Test
    void theMasterRefusesStrangersImpostorsAndReplays() {
        assertThat(HaHandshake.refuseHello(roundTrip(HaHandshake.hello(SLAVE, new HaHandshake.Keys("replicator", "guessed1"),
                "n", NOW, LOG)), MASTER, ACCOUNTS, NOW)).contains("signature check failed");
        assertThat(HaHandshake.refuseHello(roundTrip(HaHandshake.hello(SLAVE, new HaHandshake.Keys("producer1", "producerSecret"),
                "n", NOW, LOG)), MASTER, ACCOUNTS, NOW)).contains("not an admin account");
        assertThat(HaHandshake.refuseHello(roundTrip(HaHandshake.hello(SLAVE, new HaHandshake.Keys("nobody12", "x"),
                "n", NOW, LOG)), MASTER, ACCOUNTS, NOW)).contains("unknown accessKey");
        assertThat(HaHandshake.refuseHello(roundTrip(HaHandshake.hello(new HaHandshake.Identity("C", "broker-b", 1), KEYS,
                "n", NOW, LOG)), MASTER, ACCOUNTS, NOW)).contains("not C/broker-a");
        assertThat(HaHandshake.refuseHello(roundTrip(HaHandshake.hello(new HaHandshake.Identity("C", "broker-a", 0), KEYS,
                "n", NOW, LOG)), MASTER, ACCOUNTS, NOW)).contains("is not a slave's");
        assertThat(HaHandshake.refuseHello(roundTrip(HaHandshake.hello(SLAVE, KEYS, "n", NOW, LOG)), MASTER, ACCOUNTS,
                NOW + HaHandshake.MAX_CLOCK_SKEW_MILLIS + 1)).contains("from this broker's clock");
        Map<String, String> tampered = roundTrip(HaHandshake.hello(SLAVE, KEYS, "n", NOW, LOG));
        tampered.put("brokerId", "2");
        assertThat(HaHandshake.refuseHello(tampered, MASTER, ACCOUNTS, NOW)).contains("signature check failed");
    }

    @Test
    void aSlaveRefusesAMasterThatCannotProveItHoldsTheAccount() {
        Map<String, String> forged = roundTrip(HaHandshake.welcome(MASTER, new HaHandshake.Keys("replicator", "guessed1"),
                "n2", "n1", NOW, LOG, CRC));
        assertThat(HaHandshake.refuseWelcome(forged, SLAVE, KEYS, "n1", NOW)).contains("could not prove");
        Map<String, String> replayed = roundTrip(HaHandshake.welcome(MASTER, KEYS, "n2", "an-old-nonce", NOW, LOG, CRC));
        assertThat(HaHandshake.refuseWelcome(replayed, SLAVE, KEYS, "n1", NOW)).contains("did not echo");
        Map<String, String> otherBroker = roundTrip(HaHandshake.welcome(new HaHandshake.Identity("C", "broker-b", 0), KEYS,
                "n2", "n1", NOW, LOG, CRC));
        assertThat(HaHandshake.refuseWelcome(otherBroker, SLAVE, KEYS, "n1", NOW)).contains("not C/broker-a");
    }

    @Test
    void aSlavesRefusalCarriesItsReasonBoundedAndIsToldApartFromAReport() {
        ByteBuf refusal = HaHandshake.refusal(SLAVE, "the logs differ just below offset 4096");
        assertThat(HaHandshake.startsWithMagic(refusal)).isTrue();
        assertThat(roundTrip(refusal)).containsEntry("type", HaHandshake.REFUSAL).containsEntry("brokerId", "1")
                .containsEntry("reason", "the logs differ just below offset 4096");
        assertThat(roundTrip(HaHandshake.refusal(SLAVE, "x".repeat(100_000))).get("reason")).hasSize(1000);
    }

    @Test
    void bytesThatAreNotAHandshakeAreRefusedAndAPartialOneWaits() {
        ByteBuf report = Unpooled.buffer().writeLong(4096).writeLong(0);
        assertThat(HaHandshake.startsWithMagic(report)).isFalse();
        assertThatThrownBy(() -> HaHandshake.read(report)).isInstanceOf(IllegalArgumentException.class);
        ByteBuf huge = Unpooled.buffer().writeLong(HaHandshake.MAGIC).writeInt(1 << 20);
        assertThatThrownBy(() -> HaHandshake.read(huge)).hasMessageContaining("at most 16384");
        ByteBuf whole = HaHandshake.hello(SLAVE, KEYS, "n", NOW, LOG);
        ByteBuf part = whole.readRetainedSlice(20);
        assertThat(HaHandshake.read(part)).isNull();
        assertThat(part.readableBytes()).isEqualTo(20);
        ByteBuf garbage = Unpooled.buffer().writeLong(HaHandshake.MAGIC).writeInt(3).writeBytes("{{{".getBytes());
        assertThatThrownBy(() -> HaHandshake.read(garbage)).hasMessageContaining("unreadable");
    }
}
