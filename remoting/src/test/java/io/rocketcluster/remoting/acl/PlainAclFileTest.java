package io.rocketcluster.remoting.acl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlainAclFileTest {
    private static final String ONE = """
            accounts:
              - accessKey: firstKey1
                secretKey: firstSecret
            """;
    private static final String TWO = ONE + """
              - accessKey: secondKey
                secretKey: secondSecret
            """;

    @TempDir
    Path dir;

    @Test
    void theFileBesideTheBrokerConfigComesBeforeRocketMqHome() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("etc"));
        Path home = Files.createDirectories(dir.resolve("home/conf"));
        Files.writeString(home.resolve("plain_acl.yml"), TWO);
        List<Path> candidates = PlainAclFile.candidates(conf.resolve("broker.conf").toString(), dir.resolve("home").toString());
        assertThat(candidates).startsWith(conf.resolve("plain_acl.yml"), home.resolve("plain_acl.yml"));
        assertThat(PlainAclFile.load(candidates).path()).isEqualTo(home.resolve("plain_acl.yml"));
        Files.writeString(conf.resolve("plain_acl.yml"), ONE);
        PlainAclFile beside = PlainAclFile.load(candidates);
        assertThat(beside.path()).isEqualTo(conf.resolve("plain_acl.yml"));
        assertThat(beside.rules().accountCount()).isEqualTo(1);
    }

    @Test
    void noFileOrABrokenFileStopsTheBrokerFromStarting() throws Exception {
        List<Path> none = List.of(dir.resolve("missing.yml"));
        assertThatThrownBy(() -> PlainAclFile.load(none)).hasMessageContaining("no plain_acl.yml was found");
        Path broken = dir.resolve("plain_acl.yml");
        Files.writeString(broken, "accounts:\n  - accessKey: longEnough\n    secretKey: Tiny12\n");
        assertThatThrownBy(() -> PlainAclFile.load(List.of(broken))).hasMessageContaining("length should longer than 6")
                .as("a secret, even a bad one, is never put in a message that reaches the log")
                .message().doesNotContain("Tiny12");
    }

    @Test
    void editsAreReloadedAndABrokenEditKeepsTheLastGoodRules() throws Exception {
        Path file = dir.resolve("plain_acl.yml");
        Files.writeString(file, ONE);
        PlainAclFile acl = PlainAclFile.load(List.of(file));
        assertThat(acl.rules().account("secondKey")).isNull();

        Files.writeString(file, TWO);
        acl.poll();
        assertThat(acl.rules().account("secondKey")).isNotNull();

        Files.writeString(file, "accounts: [ {accessKey: ");
        acl.poll();
        assertThat(acl.rules().account("secondKey")).as("kept after a broken edit").isNotNull();

        Files.writeString(file, ONE);
        acl.poll();
        assertThat(acl.rules().account("secondKey")).isNull();
    }
}
