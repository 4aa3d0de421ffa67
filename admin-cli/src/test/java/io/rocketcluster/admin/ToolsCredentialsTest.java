package io.rocketcluster.admin;

import io.rocketcluster.remoting.acl.AclCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToolsCredentialsTest {
    @TempDir
    Path home;

    private Properties homeProperty() {
        Properties p = new Properties();
        p.setProperty("rocketmq.home.dir", home.toString());
        return p;
    }

    @Test
    void flagsComeBeforeTheEnvironmentWhichComesBeforeToolsYml() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/tools.yml"), "accessKey: fromFile1\nsecretKey: fileSecret\n");
        Map<String, String> env = Map.of("ROCKETMQ_ACCESS_KEY", "fromEnv12", "ROCKETMQ_SECRET_KEY", "envSecret");
        assertThat(ToolsCredentials.resolve("fromFlag1", "flagSecret", env, homeProperty()))
                .isEqualTo(new AclCredentials("fromFlag1", "flagSecret"));
        assertThat(ToolsCredentials.resolve(null, null, env, homeProperty()))
                .isEqualTo(new AclCredentials("fromEnv12", "envSecret"));
        assertThat(ToolsCredentials.resolve(null, null, Map.of(), homeProperty()))
                .isEqualTo(new AclCredentials("fromFile1", "fileSecret"));
    }

    @Test
    void noKeysOrAnIncompleteToolsYmlMeansUnsignedButHalfAPairIsAUsageError() throws Exception {
        assertThat(ToolsCredentials.resolve(null, null, Map.of(), homeProperty())).isNull();
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/tools.yml"), "accessKey: onlyKey1\n");
        assertThat(ToolsCredentials.resolve(null, null, Map.of(), homeProperty())).isNull();
        assertThatThrownBy(() -> ToolsCredentials.resolve("onlyKey1", null, Map.of(), homeProperty()))
                .isInstanceOf(AdminException.class).hasMessageContaining("--secret-key");
    }
}
