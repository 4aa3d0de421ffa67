package io.rocketcluster.remoting.acl;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code plain_acl.yml} as written (docs/acl.md §3.1): global white addresses, accounts, and the data
 * version the broker bumps when admin requests rewrite the file. Unknown keys are ignored; a YAML number
 * where a string is expected is read as its text. Mutable data holder.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class PlainAclConfig {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY, true);

    public List<String> globalWhiteRemoteAddresses = new ArrayList<>();
    public List<Account> accounts = new ArrayList<>();
    public List<Version> dataVersion = new ArrayList<>();

    /** One {@code accounts} entry. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Account {
        public String accessKey;
        public String secretKey;
        public String whiteRemoteAddress;
        public boolean admin;
        public String defaultTopicPerm;
        public String defaultGroupPerm;
        public List<String> topicPerms = new ArrayList<>();
        public List<String> groupPerms = new ArrayList<>();
    }

    /** The {@code dataVersion} entry. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Version {
        public long counter;
        public long timestamp;
    }

    /** The file's text, as the broker writes it back after an administration request. */
    public String toYaml() throws IOException {
        return YAML.writeValueAsString(this);
    }

    /** Parses a file's text; an empty file is an empty configuration. */
    public static PlainAclConfig parse(String yaml) throws IOException {
        if (yaml == null || yaml.isBlank()) {
            return new PlainAclConfig();
        }
        PlainAclConfig c = YAML.readValue(yaml, PlainAclConfig.class);
        if (c == null) {
            return new PlainAclConfig();
        }
        if (c.globalWhiteRemoteAddresses == null) {
            c.globalWhiteRemoteAddresses = new ArrayList<>();
        }
        if (c.accounts == null) {
            c.accounts = new ArrayList<>();
        }
        return c;
    }
}
