package io.rocketcluster.broker.config;

import io.rocketcluster.remoting.config.ConfigBinder;
import io.rocketcluster.remoting.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrokerConfigLoaderTest {
    /** src/test/resources/fixtures: user-style files, loaded exactly as users write them. */
    private static final Path FIXTURES = Path.of(System.getProperty("rocketcluster.fixtures",
            "src/test/resources/fixtures"));

    @Test
    void loadsTheUsersMasterConfigAsItIs() throws Exception {
        assertThat(FIXTURES.resolve("broker-a-master.conf")).exists();
        BrokerConfigLoader.Loaded c = BrokerConfigLoader.load(FIXTURES.resolve("broker-a-master.conf"), null);
        assertThat(c.unknownKeys()).isEmpty();
        assertThat(c.broker().getNamesrvAddr()).isEqualTo("127.0.0.1:9876;127.0.0.1:9877");
        assertThat(c.broker().getBrokerIP1()).isEqualTo("127.0.0.1");
        assertThat(c.broker().getBrokerClusterName()).isEqualTo("rootopCluster");
        assertThat(c.broker().getBrokerName()).isEqualTo("broker-a");
        assertThat(c.broker().getBrokerId()).isZero();
        assertThat(c.broker().getSendMessageThreadPoolNums()).isEqualTo(200);
        assertThat(c.store().isUseReentrantLockWhenPutMessage()).isTrue();
        assertThat(c.store().getDeleteWhen()).isEqualTo("04");
        assertThat(c.store().getFileReservedTime()).isEqualTo(48);
        assertThat(c.store().getBrokerRole()).isEqualTo(BrokerRole.ASYNC_MASTER);
        assertThat(c.store().getFlushDiskType()).isEqualTo(FlushDiskType.ASYNC_FLUSH);
        assertThat(c.store().getStorePathRootDir()).isEqualTo("/tmp/rocketcluster-fixture/master/store");
        assertThat(c.store().commitLogDir()).isEqualTo("/tmp/rocketcluster-fixture/master/store/commitlog");
        assertThat(c.store().getDiskMaxUsedSpaceRatio()).isEqualTo(90);
        assertThat(c.broker().getListenPort()).isEqualTo(10911);
        assertThat(c.store().getHaListenPort()).isEqualTo(10912);
    }

    @Test
    void loadsTheUsersSlaveConfigAsItIs() throws Exception {
        BrokerConfigLoader.Loaded c = BrokerConfigLoader.load(FIXTURES.resolve("broker-a-slave.conf"), null);
        assertThat(c.unknownKeys()).isEmpty();
        assertThat(c.broker().getBrokerId()).isEqualTo(1);
        assertThat(c.store().getBrokerRole()).isEqualTo(BrokerRole.SLAVE);
        assertThat(c.broker().getListenPort()).isEqualTo(11911);
        assertThat(c.store().getHaListenPort()).isEqualTo(11912);
    }

    @Test
    void aMetricsBindAddressThatIsNoAddressIsRefusedWhenTheFileIsRead() {
        Properties p = new Properties();
        p.setProperty("brokerName", "b");
        p.setProperty("metricsBindAddress", "http://0.0.0.0:9100/metrics");
        assertThatThrownBy(() -> BrokerConfigLoader.load(p, null, null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("metricsBindAddress").hasMessageContaining("an IP address or host name");
        p.setProperty("metricsBindAddress", " 127.0.0.1 ");
        assertThat(BrokerConfigLoader.load(p, null, null).broker().getMetricsBindAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void anUnknownKeyIsReportedNotFatal() {
        Properties p = new Properties();
        p.setProperty("brokerName", "b");
        p.setProperty("noSuchKey", "1");
        p.setProperty("aclEnable", "false"); // a RocketMQ key we accept without using it
        BrokerConfigLoader.Loaded c = BrokerConfigLoader.load(p, null, null);
        assertThat(c.unknownKeys()).containsExactly("noSuchKey");
        assertThat(c.broker().getBrokerName()).isEqualTo("b");
    }

    @Test
    void aBadValueStopsStartupNamingTheKey() {
        Properties p = new Properties();
        p.setProperty("fileReservedTime", "two days");
        assertThatThrownBy(() -> BrokerConfigLoader.load(p, null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fileReservedTime")
                .hasMessageContaining("two days");
        Properties role = new Properties();
        role.setProperty("brokerRole", "LEADER");
        assertThatThrownBy(() -> BrokerConfigLoader.load(role, null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("brokerRole")
                .hasMessageContaining("SYNC_MASTER");
        Properties slave = new Properties();
        slave.setProperty("brokerRole", "SLAVE");
        assertThatThrownBy(() -> BrokerConfigLoader.load(slave, null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("brokerId");
    }

    @Test
    void trailingWhitespaceAndOldKeyNamesAreAccepted() {
        Properties p = new Properties();
        p.setProperty("fileReservedTime", "48 ");
        p.setProperty("mapedFileSizeCommitLog", "16777216");
        BrokerConfigLoader.Loaded c = BrokerConfigLoader.load(p, null, null);
        assertThat(c.store().getFileReservedTime()).isEqualTo(48);
        assertThat(c.store().getMappedFileSizeCommitLog()).isEqualTo(16777216);
    }

    @Test
    void theCommandLineNameserverWins() throws Exception {
        Properties p = new Properties();
        p.setProperty("namesrvAddr", "127.0.0.1:1");
        assertThat(BrokerConfigLoader.load(p, "127.0.0.1:2", null).broker().getNamesrvAddr()).isEqualTo("127.0.0.1:2");
        assertThat(BrokerConfigLoader.load(p, null, null).broker().getNamesrvAddr()).isEqualTo("127.0.0.1:1");
    }

    @Test
    void mastersAreForcedToBrokerIdZero() {
        Properties p = new Properties();
        p.setProperty("brokerId", "3");
        p.setProperty("brokerRole", "SYNC_MASTER");
        assertThat(BrokerConfigLoader.load(p, null, null).broker().getBrokerId()).isZero();
    }

    @Test
    void renderListsEverySetting() throws Exception {
        BrokerConfigLoader.Loaded c = BrokerConfigLoader.load(FIXTURES.resolve("broker-a-master.conf"), null);
        String text = c.binder().render();
        Properties back = new Properties();
        back.load(new java.io.StringReader(text));
        assertThat(back.getProperty("brokerName")).isEqualTo("broker-a");
        assertThat(back.getProperty("flushDiskType")).isEqualTo("ASYNC_FLUSH");
        assertThat(back.getProperty("listenPort")).isEqualTo("10911");
        assertThat(Files.exists(FIXTURES)).isTrue();
        assertThat(ConfigBinder.values(c.broker())).containsKey("brokerClusterName");
    }
}
