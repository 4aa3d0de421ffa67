package io.rocketcluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.rocketcluster.remoting.acl.AclCredentials;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The ACL keys mqadmin signs with: {@code --access-key}/{@code --secret-key}, else the environment
 * ({@code ROCKETMQ_ACCESS_KEY}, {@code ROCKETMQ_SECRET_KEY}), else {@code conf/tools.yml} under
 * ROCKETMQ_HOME ({@code -Drocketmq.home.dir} or the environment), as RocketMQ's own mqadmin reads it.
 * No keys anywhere: requests go unsigned.
 */
final class ToolsCredentials {
    private ToolsCredentials() {
    }

    static AclCredentials resolve(String accessKey, String secretKey, Map<String, String> env, Properties props) {
        if (accessKey != null || secretKey != null) {
            return credentials(accessKey, secretKey, "--access-key and --secret-key");
        }
        String envKey = env.get("ROCKETMQ_ACCESS_KEY");
        String envSecret = env.get("ROCKETMQ_SECRET_KEY");
        if (envKey != null || envSecret != null) {
            return credentials(envKey, envSecret, "ROCKETMQ_ACCESS_KEY and ROCKETMQ_SECRET_KEY");
        }
        String home = props.getProperty("rocketmq.home.dir", env.get("ROCKETMQ_HOME"));
        if (home == null || home.isBlank()) {
            return null;
        }
        Path tools = Path.of(home, "conf", "tools.yml");
        if (!Files.isRegularFile(tools)) {
            return null;
        }
        try {
            JsonNode yaml = new ObjectMapper(new YAMLFactory()).readTree(tools.toFile());
            String key = yaml == null ? null : yaml.path("accessKey").asText(null);
            String secret = yaml == null ? null : yaml.path("secretKey").asText(null);
            if (key == null || key.isBlank() || secret == null || secret.isBlank()) {
                return null; // as RocketMQ's mqadmin: an incomplete tools.yml means unsigned
            }
            return new AclCredentials(key, secret);
        } catch (IOException e) {
            throw new AdminException(AdminException.USAGE, "cannot read " + tools + ": " + e.getMessage());
        }
    }

    private static AclCredentials credentials(String key, String secret, String where) {
        if (key == null || key.isBlank() || secret == null || secret.isBlank()) {
            throw new AdminException(AdminException.USAGE, "give both " + where);
        }
        return new AclCredentials(key, secret);
    }
}
