package io.rocketcluster.namesrv.kvconfig;

import com.fasterxml.jackson.databind.JsonNode;
import io.rocketcluster.remoting.data.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KvConfigManagerTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("namesrv").resolve("kvConfig.json");
    }

    private KvConfigManager loaded() throws IOException {
        KvConfigManager m = new KvConfigManager(file());
        m.load();
        return m;
    }

    @Test
    void missingFileIsAnEmptyTable() throws IOException {
        KvConfigManager m = loaded();
        assertThat(m.getKVConfig("ns", "k")).isNull();
        assertThat(m.getKVListByNamespace("ns")).isEmpty();
        assertThat(file()).doesNotExist();
    }

    @Test
    void putGetDeleteAndListByNamespace() throws IOException {
        KvConfigManager m = loaded();
        m.putKVConfig("ORDER_TOPIC_CONFIG", "TopicA", "broker-a:4;broker-b:4");
        m.putKVConfig("ORDER_TOPIC_CONFIG", "TopicB", "broker-a:2");
        m.putKVConfig("other", "k", "v");
        m.putKVConfig("other", "k", "v2");

        assertThat(m.getKVConfig("ORDER_TOPIC_CONFIG", "TopicA")).isEqualTo("broker-a:4;broker-b:4");
        assertThat(m.getKVConfig("other", "k")).isEqualTo("v2");
        assertThat(m.getKVListByNamespace("ORDER_TOPIC_CONFIG")).contains(
                Map.of("TopicA", "broker-a:4;broker-b:4", "TopicB", "broker-a:2"));

        m.deleteKVConfig("other", "k");
        m.deleteKVConfig("other", "never-there");
        m.deleteKVConfig("no-namespace", "k");
        assertThat(m.getKVConfig("other", "k")).isNull();
        assertThat(m.getKVListByNamespace("other")).isEmpty(); // the emptied namespace is gone
    }

    @Test
    void changesArePersistedInRocketMqLayoutAndReloaded() throws IOException {
        KvConfigManager m = loaded();
        m.putKVConfig("ORDER_TOPIC_CONFIG", "TopicA", "broker-a:4");
        m.putKVConfig("ns2", "k", "v");

        JsonNode doc = Json.mapper().readTree(Files.readString(file()));
        assertThat(doc.fieldNames()).toIterable().containsExactly("configTable");
        assertThat(doc.at("/configTable/ORDER_TOPIC_CONFIG/TopicA").asText()).isEqualTo("broker-a:4");
        assertThat(doc.at("/configTable/ns2/k").asText()).isEqualTo("v");
        assertThat(Path.of(file() + ".tmp")).doesNotExist();
        // the second write kept the first one's content as backup
        assertThat(Json.mapper().readTree(Files.readString(Path.of(file() + ".bak"))).at("/configTable/ns2").isMissingNode())
                .isTrue();

        KvConfigManager reloaded = loaded();
        assertThat(reloaded.getKVConfig("ORDER_TOPIC_CONFIG", "TopicA")).isEqualTo("broker-a:4");
        assertThat(reloaded.getKVConfig("ns2", "k")).isEqualTo("v");
    }

    @Test
    void readsRocketMqsOwnFile() throws IOException {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "{\n\t\"configTable\":{\n\t\t\"ORDER_TOPIC_CONFIG\":{\n\t\t\t\"topic\":\"broker-a:4;broker-b:4\"\n\t\t}\n\t}\n}");
        assertThat(loaded().getKVConfig("ORDER_TOPIC_CONFIG", "topic")).isEqualTo("broker-a:4;broker-b:4");
    }

    @Test
    void corruptFileFallsBackToTheBackup() throws IOException {
        KvConfigManager m = loaded();
        m.putKVConfig("ns", "k", "old");
        m.putKVConfig("ns", "k", "new"); // .bak now holds "old"
        Files.writeString(file(), "{\"configTable\":{\"ns\":{\"k\":", StandardCharsets.UTF_8); // torn write

        assertThat(loaded().getKVConfig("ns", "k")).isEqualTo("old");

        Files.writeString(file(), "", StandardCharsets.UTF_8); // empty file
        assertThat(loaded().getKVConfig("ns", "k")).isEqualTo("old");

        Files.delete(file()); // missing file, backup present
        assertThat(loaded().getKVConfig("ns", "k")).isEqualTo("old");
    }

    @Test
    void corruptFileAndBackupStopTheLoad() throws IOException {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "not json");
        assertThatThrownBy(this::loaded).isInstanceOf(IOException.class).hasMessageContaining("kvConfig.json")
                .hasMessageContaining("no kvConfig.json.bak");
        Files.writeString(Path.of(file() + ".bak"), "[1,2]");
        assertThatThrownBy(this::loaded).isInstanceOf(IOException.class).hasMessageContaining("backup");
    }

    @Test
    void nullEntriesInTheFileAreSkipped() throws IOException {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "{\"configTable\":{\"a\":null,\"b\":{\"k\":null,\"k2\":\"v\"}},\"extra\":1}");
        KvConfigManager m = loaded();
        assertThat(m.getKVListByNamespace("a")).isEmpty();
        assertThat(m.getKVListByNamespace("b")).contains(Map.of("k2", "v"));
    }

    @Test
    void newEntriesPastKvConfigMaxEntriesAreRefusedWhileExistingOnesMayChange() throws IOException {
        KvConfigManager m = new KvConfigManager(file(), 2);
        m.load();
        m.putKVConfig("ns1", "a", "1");
        m.putKVConfig("ns2", "b", "2");
        assertThatThrownBy(() -> m.putKVConfig("ns1", "c", "3"))
                .isInstanceOf(io.rocketcluster.namesrv.LimitExceededException.class)
                .hasMessageContaining("kvConfigMaxEntries=2");
        assertThat(m.getKVConfig("ns1", "c")).isNull();
        m.putKVConfig("ns1", "a", "changed");
        assertThat(m.getKVConfig("ns1", "a")).isEqualTo("changed");
        m.deleteKVConfig("ns2", "b");
        m.putKVConfig("ns1", "c", "3");
        assertThat(m.getKVConfig("ns1", "c")).isEqualTo("3");
    }
}
