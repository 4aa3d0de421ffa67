package io.rocketcluster.broker.ha;

import io.rocketcluster.broker.store.PutStatus;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicaAcksTest {
    private final AtomicInteger slaves = new AtomicInteger(1);
    private final ReplicaAcks acks = new ReplicaAcks(slaves::get, 1000, 200);

    @Test
    void noSlaveMeansSlaveNotAvailable() {
        slaves.set(0);
        assertThat(acks.await(10).join()).isEqualTo(PutStatus.SLAVE_NOT_AVAILABLE);
    }

    @Test
    void aSlaveTooFarBehindMeansSlaveNotAvailable() {
        acks.onAck(100);
        assertThat(acks.await(1100).join()).isEqualTo(PutStatus.SLAVE_NOT_AVAILABLE);
        assertThat(acks.await(1099).isDone()).isFalse();
    }

    @Test
    void waitersCompleteInOffsetOrderAsAcksArrive() {
        CompletableFuture<PutStatus> a = acks.await(100);
        CompletableFuture<PutStatus> b = acks.await(200);
        assertThat(a).isNotDone();
        acks.onAck(150);
        assertThat(a.join()).isEqualTo(PutStatus.PUT_OK);
        assertThat(b).isNotDone();
        acks.onAck(120); // an older report changes nothing
        assertThat(b).isNotDone();
        acks.onAck(200);
        assertThat(b.join()).isEqualTo(PutStatus.PUT_OK);
        assertThat(acks.await(150).join()).isEqualTo(PutStatus.PUT_OK);
    }

    @Test
    void anUnacknowledgedAppendTimesOut() {
        assertThat(acks.await(100).join()).isEqualTo(PutStatus.FLUSH_SLAVE_TIMEOUT);
    }
}
