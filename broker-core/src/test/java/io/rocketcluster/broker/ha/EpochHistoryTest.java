package io.rocketcluster.broker.ha;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EpochHistoryTest {
    @TempDir
    Path dir;
    private final AtomicLong ids = new AtomicLong(100);

    private EpochHistory load(long logEnd) throws Exception {
        return EpochHistory.load(dir.resolve("epochs"), logEnd, ids::incrementAndGet);
    }

    @Test
    void aMastersEpochsSurviveARestartAndEachRunBeginsANewOne() throws Exception {
        EpochHistory h = load(0);
        assertThat(h.last()).isNull();
        assertThat(h.begin(0, false)).isEqualTo(new Epoch(1, 0, 101));
        assertThat(load(500).begin(500, false)).isEqualTo(new Epoch(2, 500, 102));
        assertThat(load(900).epochs()).containsExactly(new Epoch(1, 0, 101), new Epoch(2, 500, 102));
        assertThat(Files.readString(dir.resolve("epochs"))).contains("1:0:0000000000000065", "2:500:0000000000000066");
    }

    @Test
    void aReplicaAckedEpochKeepsItsMarkOnDiskAndOnTheWire() throws Exception {
        load(0).begin(0, true);
        Epoch e = load(0).last();
        assertThat(e.replicaAcked()).isTrue();
        assertThat(Epoch.encode(List.of(e), false)).isEqualTo("1:0::r");
        assertThat(Epoch.decode("1:0::r")).containsExactly(new Epoch(1, 0, 0, true));
        assertThat(Epoch.decode(Epoch.encode(List.of(e), true))).containsExactly(e);
        assertThatThrownBy(() -> Epoch.decode("1:0:5:x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void epochsThatBeganInATailLostInACrashAreForgotten() throws Exception {
        EpochHistory h = load(0);
        h.begin(0, false);
        h.begin(800, false);
        assertThat(load(700).epochs()).containsExactly(new Epoch(1, 0, 101));
        assertThat(load(700).epochs()).as("and stays forgotten").hasSize(1);
    }

    @Test
    void aSlaveAdoptsTheMastersEpochsAsTheirDataArrivesAndForgetsThemWhenItCuts() throws Exception {
        EpochHistory h = load(0);
        List<Epoch> master = List.of(new Epoch(1, 0, 7), new Epoch(2, 1000, 8), new Epoch(3, 2000, 9));
        assertThat(h.adopt(master, 1000)).isTrue();
        assertThat(h.epochs()).containsExactly(new Epoch(1, 0, 7));
        assertThat(h.adopt(master, 1000)).isFalse();
        h.adopt(master, 2001);
        assertThat(load(2001).epochs()).hasSize(3);
        h.truncateFrom(1500);
        assertThat(load(1500).epochs()).containsExactly(new Epoch(1, 0, 7), new Epoch(2, 1000, 8));
    }

    @Test
    void aCorruptFileFallsBackToItsBackupAndAnUnreadableOneStopsTheBroker() throws Exception {
        EpochHistory h = load(0);
        h.begin(0, false);
        h.begin(10, false);
        Files.writeString(dir.resolve("epochs"), "1:0:zz\n");
        assertThat(load(10).epochs()).containsExactly(new Epoch(1, 0, 101));
        Files.writeString(dir.resolve("epochs.bak"), "garbage");
        assertThatThrownBy(() -> load(10)).hasMessageContaining("corrupt");
    }

    @Test
    void theWireFormRejectsWhatNoHistoryCanBe() {
        assertThatThrownBy(() -> Epoch.decode("2:0,1:10")).hasMessageContaining("does not follow");
        assertThatThrownBy(() -> Epoch.decode("1:100,2:50")).hasMessageContaining("does not follow");
        assertThatThrownBy(() -> Epoch.decode("1:-5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Epoch.decode("1:0:" + "f".repeat(17))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Epoch.decode("1:0,".repeat(300))).isInstanceOf(IllegalArgumentException.class);
        assertThat(Epoch.decode(Epoch.encode(List.of(new Epoch(1, 0, -1L), new Epoch(3, 9, 5)), true)))
                .containsExactly(new Epoch(1, 0, -1L), new Epoch(3, 9, 5));
    }
}
