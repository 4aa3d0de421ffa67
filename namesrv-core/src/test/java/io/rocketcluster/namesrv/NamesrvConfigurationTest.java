package io.rocketcluster.namesrv;

import io.rocketcluster.remoting.config.ConfigException;
import io.rocketcluster.remoting.config.HomeDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamesrvConfigurationTest {
    @TempDir
    Path dir;

    private static Properties props(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return p;
    }

    @Test
    void defaultsAreRocketMqsWithDataUnderRocketclusterHome() {
        NamesrvConfiguration c = NamesrvConfiguration.defaults();
        NamesrvConfig n = c.namesrvConfig();
        assertThat(n.getListenPort()).isEqualTo(9876);
        assertThat(c.nettyServerConfig().getListenPort()).isEqualTo(9876);
        // under the RocketCluster home: ~/rocketcluster unless ROCKETCLUSTER_HOME_DIR or rocketcluster.home.dir say otherwise
        assertThat(n.getKvConfigPath()).isEqualTo(HomeDir.resolve("namesrv", "kvConfig.json").toString());
        assertThat(n.getConfigStorePath()).isEqualTo(HomeDir.resolve("namesrv", "namesrv.properties").toString());
        assertThat(n.getProductEnvName()).isEqualTo("center");
        assertThat(n.isClusterTest()).isFalse();
        assertThat(n.isOrderMessageEnable()).isFalse();
        assertThat(n.getScanNotActiveBrokerInterval()).isEqualTo(10_000);
        assertThat(n.getBrokerChannelExpiredTime()).isEqualTo(120_000);
    }

    @Test
    void fileBindsNamesrvAndNettyKeysInEveryPropertiesSyntax() throws IOException {
        Path file = dir.resolve("namesrv.conf");
        Files.writeString(file, """
                # comment
                listenPort = 19876
                orderMessageEnable: true
                kvConfigPath=/data/kv.json
                serverWorkerThreads=4
                brokerChannelExpiredTime=3000\t
                scanNotActiveBrokerInterval 500
                """);
        NamesrvConfiguration c = NamesrvConfiguration.defaults();
        assertThat(c.applyFile(file)).isEmpty();
        NamesrvConfig n = c.namesrvConfig();
        assertThat(n.getListenPort()).isEqualTo(19876);
        assertThat(c.nettyServerConfig().getListenPort()).isEqualTo(19876);
        assertThat(n.isOrderMessageEnable()).isTrue();
        assertThat(n.getKvConfigPath()).isEqualTo("/data/kv.json");
        assertThat(n.getBrokerChannelExpiredTime()).isEqualTo(3000);
        assertThat(n.getScanNotActiveBrokerInterval()).isEqualTo(500);
        assertThat(c.nettyServerConfig().getServerWorkerThreads()).isEqualTo(4);
        assertThat(n.getConfigStorePath()).isEqualTo(file.toAbsolutePath().toString());
    }

    @Test
    void unknownKeyIsReportedNotFatalAndIgnoredKeysAreNotUnknown() throws IOException {
        NamesrvConfiguration c = NamesrvConfiguration.defaults();
        assertThat(c.apply(props("listenPort=1\nnoSuchKey=1\nserverSocketBacklog=1024\n"))).containsExactly("noSuchKey");
        assertThat(c.namesrvConfig().getListenPort()).isEqualTo(1);
    }

    @Test
    void badValueNamesTheKeyAndChangesNothing() throws IOException {
        NamesrvConfiguration c = NamesrvConfiguration.defaults();
        assertThatThrownBy(() -> c.apply(props("aaaFirst=1\nclusterTest=true\nlistenPort=abc\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listenPort").hasMessageContaining("abc");
        assertThat(c.namesrvConfig().isClusterTest()).isFalse(); // sorted before listenPort, yet not applied

        assertThatThrownBy(() -> c.apply(props("listenPort=70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listenPort");
        assertThatThrownBy(() -> c.apply(props("orderMessageEnable=yes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("orderMessageEnable");
        assertThatThrownBy(() -> c.apply(props("brokerChannelExpiredTime=0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("brokerChannelExpiredTime");
        assertThatThrownBy(() -> c.apply(props("serverWorkerThreads=x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("serverWorkerThreads");
        assertThat(c.namesrvConfig().getListenPort()).isEqualTo(9876);
    }

    @Test
    void renderListsEveryKeyOnceSortedWithTheNamesrvPort() throws IOException {
        NamesrvConfiguration c = NamesrvConfiguration.defaults();
        c.apply(props("listenPort=4321"));
        Properties rendered = props(c.render());
        assertThat(rendered.getProperty("listenPort")).isEqualTo("4321");
        assertThat(rendered).containsKeys("kvConfigPath", "configStorePath", "rocketmqHome", "productEnvName",
                "clusterTest", "orderMessageEnable", "scanNotActiveBrokerInterval", "brokerChannelExpiredTime",
                "serverWorkerThreads", "serverChannelMaxIdleTimeSeconds");
        assertThat(c.render().lines().filter(l -> l.startsWith("listenPort=")).count()).isEqualTo(1);
    }

    @Test
    void blacklistedKeysAreFound() throws IOException {
        NamesrvConfiguration c = NamesrvConfiguration.defaults();
        assertThat(c.blacklistedKeys(props("kvConfigPath=/x\nconfigStorePath=/y\nlistenPort=1"))).containsExactly(
                "configStorePath", "kvConfigPath");
        assertThat(c.blacklistedKeys(props("orderMessageEnable=true"))).isEmpty();
    }

    @Test
    void persistWritesAllSettingsToConfigStorePath() throws IOException {
        NamesrvConfiguration c = NamesrvConfiguration.defaults();
        Path store = dir.resolve("store/namesrv.properties");
        c.namesrvConfig().setConfigStorePath(store.toString());
        c.apply(props("orderMessageEnable=true"));
        c.persist();
        assertThat(props(Files.readString(store)).getProperty("orderMessageEnable")).isEqualTo("true");
    }
}
