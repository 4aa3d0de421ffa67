package io.rocketcluster.broker.ha;

import io.rocketcluster.broker.store.PutStatus;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicaAcksTest {
    private final ReplicaAcks acks = new ReplicaAcks(1000, 200);

    @Test
    void noSlaveMeansSlaveNotAvailable() {
        assertThat(acks.await(10).join()).isEqualTo(PutStatus.SLAVE_NOT_AVAILABLE);
    }

    @Test
    void aSlaveTooFarBehindMeansSlaveNotAvailable() {
        acks.onAck("slave 1", 100);
        assertThat(acks.await(1100).join()).isEqualTo(PutStatus.SLAVE_NOT_AVAILABLE);
        assertThat(acks.await(1099).isDone()).isFalse();
    }

    @Test
    void waitersCompleteInOffsetOrderAsAcksArrive() {
        acks.onAck("slave 1", 0);
        CompletableFuture<PutStatus> a = acks.await(100);
        CompletableFuture<PutStatus> b = acks.await(200);
        assertThat(a).isNotDone();
        acks.onAck("slave 1", 150);
        assertThat(a.join()).isEqualTo(PutStatus.PUT_OK);
        assertThat(b).isNotDone();
        acks.onAck("slave 1", 120); // an older report changes nothing
        assertThat(b).isNotDone();
        acks.onAck("slave 1", 200);
        assertThat(b.join()).isEqualTo(PutStatus.PUT_OK);
        assertThat(acks.await(150).join()).isEqualTo(PutStatus.PUT_OK);
    }

    @Test
    void anUnacknowledgedAppendTimesOut() {
        acks.onAck("slave 1", 0);
        assertThat(acks.await(100).join()).isEqualTo(PutStatus.FLUSH_SLAVE_TIMEOUT);
    }

    @Test
    void aSlaveThatLeavesTakesItsAcknowledgementsWithIt() {
        acks.onAck("slave 1", 500);
        acks.onAck("slave 2", 300);
        assertThat(acks.ackedOffset()).isEqualTo(500);
        acks.remove("slave 1");
        assertThat(acks.ackedOffset()).isEqualTo(300);
        assertThat(acks.await(400)).isNotDone(); // only slave 2 counts now, and it has not reached 400
        acks.remove("slave 2");
        assertThat(acks.slaves()).isZero();
        assertThat(acks.await(10).join()).isEqualTo(PutStatus.SLAVE_NOT_AVAILABLE);
    }
}
