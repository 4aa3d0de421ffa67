package io.rocketcluster.namesrv;

import io.rocketcluster.remoting.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Name server keys from RC_* environment variables: defaults &lt; file &lt; environment. */
class NamesrvEnvConfigTest {
    @TempDir
    Path dir;

    @Test
    void environmentOverridesDefaultsInEitherSpelling() {
        NamesrvConfiguration c = NamesrvConfiguration.defaults();
        assertThat(c.applyEnv(Map.of("RC_LISTEN_PORT", "9876", "RC_externalListenPort", "19876",
                "RC_KV_CONFIG_PATH", "/var/lib/rocketcluster/namesrv/kvConfig.json", "RC_SERVER_WORKER_THREADS", "4",
                "HOME", "/root"))).isEmpty();
        assertThat(c.namesrvConfig().getExternalListenPort()).isEqualTo(19876);
        assertThat(c.namesrvConfig().getKvConfigPath()).isEqualTo("/var/lib/rocketcluster/namesrv/kvConfig.json");
        assertThat(c.nettyServerConfig().getServerWorkerThreads()).isEqualTo(4);
    }

    @Test
    void unknownVariablesAreReturnedAndBadValuesNameTheKey() {
        NamesrvConfiguration c = NamesrvConfiguration.defaults();
        assertThat(c.applyEnv(Map.of("RC_BROKER_NAME", "x"))).containsExactly("RC_BROKER_NAME");
        assertThatThrownBy(() -> c.applyEnv(Map.of("RC_EXTERNAL_LISTEN_PORT", "-7")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("externalListenPort");
    }

    @Test
    void startupAppliesTheEnvironmentAfterTheFile() throws Exception {
        Path f = dir.resolve("namesrv.conf");
        Files.writeString(f, "listenPort=19999\norderMessageEnable=true\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        NamesrvStartup startup = new NamesrvStartup(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("RC_LISTEN_PORT", "29999", "RC_NO_SUCH", "1"));
        assertThat(new CommandLine(startup).execute("-c", f.toString(), "-p")).isZero();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("listenPort=29999\n").contains("orderMessageEnable=true\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("RC_NO_SUCH");
    }

    @Test
    void startupWithoutAFileUsesTheEnvironment() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NamesrvStartup startup = new NamesrvStartup(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                Map.of("RC_EXTERNAL_LISTEN_PORT", "19876"));
        assertThat(new CommandLine(startup).execute("-p")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("externalListenPort=19876\n");
    }
}
