package io.rocketcluster.broker.config;

import io.rocketcluster.remoting.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** broker.conf keys from RC_* environment variables: file &lt; environment &lt; -n. */
class BrokerConfigEnvTest {
    private static Properties file(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void everyBrokerKeyIsReachableFromTheEnvironmentWithoutAmbiguity() {
        BrokerConfigLoader.Loaded c = BrokerConfigLoader.load(file(), Map.of(), null, null);
        for (String line : c.binder().render().split("\n")) {
            String key = line.substring(0, line.indexOf('='));
            String var = "RC_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase();
            assertThat(c.binder().keys()).contains(key);
            assertThat(io.rocketcluster.remoting.config.EnvConfig.read(Map.of(var, "x"), c.binder()).settings())
                    .as(var).containsOnlyKeys(key);
        }
    }

    @Test
    void environmentOverridesTheFileInBothSpellings() {
        BrokerConfigLoader.Loaded c = BrokerConfigLoader.load(
                file("brokerName", "file-name", "brokerRole", "ASYNC_MASTER", "listenPort", "10911"),
                Map.of("RC_BROKER_NAME", "env-name", "RC_brokerIP1", "broker-a-master", "RC_BROKER_IP2", "broker-a-master",
                        "RC_BROKER_ROLE", "SYNC_MASTER", "RC_FLUSH_DISK_TYPE", "SYNC_FLUSH",
                        "RC_BROKER_EXTERNAL_ADDR", "127.0.0.1:20911"), null, null);
        assertThat(c.broker().getBrokerName()).isEqualTo("env-name");
        assertThat(c.broker().brokerAddr()).isEqualTo("broker-a-master:10911");
        assertThat(c.broker().getBrokerIP2()).isEqualTo("broker-a-master");
        assertThat(c.broker().getBrokerExternalAddr()).isEqualTo("127.0.0.1:20911");
        assertThat(c.store().getBrokerRole()).isEqualTo(BrokerRole.SYNC_MASTER);
        assertThat(c.store().getFlushDiskType()).isEqualTo(FlushDiskType.SYNC_FLUSH);
        assertThat(c.unknownKeys()).isEmpty();
    }

    @Test
    void environmentAloneConfiguresASlaveWithoutAFile() {
        BrokerConfigLoader.Loaded c = BrokerConfigLoader.load(file(), Map.of("RC_BROKER_ID", "1",
                "RC_BROKER_ROLE", "SLAVE", "RC_STORE_PATH_ROOT_DIR", "/var/lib/rocketcluster/store"), null, null);
        assertThat(c.broker().getBrokerId()).isEqualTo(1);
        assertThat(c.store().getBrokerRole()).isEqualTo(BrokerRole.SLAVE);
        assertThat(c.store().getStorePathRootDir()).isEqualTo("/var/lib/rocketcluster/store");
    }

    @Test
    void nameserversComeFromDashNThenEnvironmentThenFile() {
        Properties f = file("namesrvAddr", "file:9876");
        assertThat(BrokerConfigLoader.load(f, Map.of(), null, null).broker().getNamesrvAddr()).isEqualTo("file:9876");
        assertThat(BrokerConfigLoader.load(f, Map.of("RC_NAMESRV_ADDR", "env:9876"), null, null).broker().getNamesrvAddr())
                .isEqualTo("env:9876");
        assertThat(BrokerConfigLoader.load(f, Map.of("RC_NAMESRV_ADDR", "env:9876"), "cli:9876", null).broker()
                .getNamesrvAddr()).isEqualTo("cli:9876");
    }

    @Test
    void unknownVariablesAreWarnedLikeUnknownFileKeys() {
        BrokerConfigLoader.Loaded c = BrokerConfigLoader.load(file("noSuchKey", "1"),
                Map.of("RC_NO_SUCH_KEY_EITHER", "2", "RC_ACL_ENABLE", "false", "OTHER", "3"), null, null);
        assertThat(c.unknownKeys()).containsExactlyInAnyOrder("noSuchKey", "RC_NO_SUCH_KEY_EITHER");
    }

    @Test
    void badValueFromTheEnvironmentNamesTheKey() {
        assertThatThrownBy(() -> BrokerConfigLoader.load(file(), Map.of("RC_LISTEN_PORT", "ten"), null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listenPort").hasMessageContaining("ten");
        assertThatThrownBy(() -> BrokerConfigLoader.load(file(), Map.of("RC_BROKER_EXTERNAL_ADDR", "localhost"), null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("brokerExternalAddr");
    }
}
