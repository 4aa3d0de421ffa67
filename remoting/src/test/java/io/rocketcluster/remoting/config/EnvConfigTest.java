package io.rocketcluster.remoting.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvConfigTest {
    /** A settings object like the servers' (setter names are the keys). */
    public static final class Settings {
        private String brokerName = "";
        private String brokerIP1 = "";
        private int listenPort;
        private long mappedFileSizeCommitLog;

        public void setBrokerName(String v) { brokerName = v; }
        public String getBrokerName() { return brokerName; }
        public void setBrokerIP1(String v) { brokerIP1 = v; }
        public String getBrokerIP1() { return brokerIP1; }
        public void setListenPort(int v) { listenPort = v; }
        public int getListenPort() { return listenPort; }
        public void setMappedFileSizeCommitLog(long v) { mappedFileSizeCommitLog = v; }
        public long getMappedFileSizeCommitLog() { return mappedFileSizeCommitLog; }
    }

    private final Settings settings = new Settings();
    private final ConfigBinder binder = new ConfigBinder(List.of(settings), Set.of("aclEnable"),
            Map.of("mapedFileSizeCommitLog", "mappedFileSizeCommitLog"));

    @Test
    void keysAreSettersIgnoredKeysAndOldSpellings() {
        assertThat(binder.keys()).containsExactlyInAnyOrder("brokerName", "brokerIP1", "listenPort",
                "mappedFileSizeCommitLog", "aclEnable", "mapedFileSizeCommitLog");
    }

    @Test
    void prefixedVariablesMatchKeysIgnoringCaseAndUnderscores() {
        EnvConfig.Result r = EnvConfig.read(Map.of(
                "RC_BROKER_NAME", "broker-a",
                "RC_brokerIP1", "broker-a-master",
                "rc_listen_port", "10911",
                "PATH", "/usr/bin",
                "NAMESRV_ADDR", "ns:9876",
                "ROCKETCLUSTER_HOME_DIR", "/var/lib/rocketcluster"), binder);
        assertThat(r.settings()).containsOnly(Map.entry("brokerName", "broker-a"),
                Map.entry("brokerIP1", "broker-a-master"), Map.entry("listenPort", "10911"));
        assertThat(r.sources()).containsEntry("brokerName", "RC_BROKER_NAME").containsEntry("listenPort", "rc_listen_port");
        assertThat(r.unknown()).isEmpty();
    }

    @Test
    void digitsAndAcronymsNeedNoUnderscoreRules() {
        assertThat(EnvConfig.read(Map.of("RC_BROKER_IP1", "x"), binder).settings()).containsOnlyKeys("brokerIP1");
        assertThat(EnvConfig.read(Map.of("RC_BROKERIP1", "x"), binder).settings()).containsOnlyKeys("brokerIP1");
    }

    @Test
    void unknownVariablesAreReportedNotApplied() {
        EnvConfig.Result r = EnvConfig.read(Map.of("RC_BROKER_NAMEE", "x", "RC_", "y"), binder);
        assertThat(r.settings()).isEmpty();
        assertThat(r.unknown()).containsExactly("RC_BROKER_NAMEE");
    }

    @Test
    void twoVariablesForOneKeyAreAnErrorNamingBoth() {
        assertThatThrownBy(() -> EnvConfig.read(Map.of("RC_BROKER_NAME", "a", "RC_brokerName", "b"), binder))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("brokerName").hasMessageContaining("RC_BROKER_NAME").hasMessageContaining("RC_brokerName");
        assertThatThrownBy(() -> EnvConfig.read(Map.of("RC_MAPED_FILE_SIZE_COMMIT_LOG", "1",
                "RC_MAPPED_FILE_SIZE_COMMIT_LOG", "2"), binder)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("mappedFileSizeCommitLog");
    }

    @Test
    void oldSpellingsSetTheCurrentKey() {
        assertThat(EnvConfig.read(Map.of("RC_MAPED_FILE_SIZE_COMMIT_LOG", "65536"), binder).settings())
                .containsOnly(Map.entry("mappedFileSizeCommitLog", "65536"));
    }

    @Test
    void environmentWinsOverTheFileAlsoOverAnOldSpellingThere() {
        Properties file = new Properties();
        file.setProperty("brokerName", "from-file");
        file.setProperty("listenPort", "10911");
        file.setProperty("mapedFileSizeCommitLog", "1024");
        EnvConfig.Result env = EnvConfig.read(Map.of("RC_BROKER_NAME", "from-env",
                "RC_MAPPED_FILE_SIZE_COMMIT_LOG", "65536"), binder);
        Properties merged = EnvConfig.overlay(file, env, binder);
        assertThat(merged).containsOnly(Map.entry("brokerName", "from-env"), Map.entry("listenPort", "10911"),
                Map.entry("mappedFileSizeCommitLog", "65536"));
        assertThat(binder.bind(merged)).isEmpty();
        assertThat(settings.getBrokerName()).isEqualTo("from-env");
        assertThat(settings.getMappedFileSizeCommitLog()).isEqualTo(65536);
    }

    @Test
    void keysThatCannotBeToldApartAreRejected() {
        assertThatThrownBy(() -> EnvConfig.read(Map.of(), List.of("fooBar", "foo_bar"), k -> k))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fooBar").hasMessageContaining("foo_bar");
    }
}
