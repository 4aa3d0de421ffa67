package io.rocketcluster.remoting.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void storeCreatesDirectoriesKeepsABackupAndLeavesNoTmp() throws IOException {
        ConfigFile f = new ConfigFile(dir.resolve("a/b/c.txt"));
        f.store("one");
        assertThat(f.path()).hasContent("one");
        assertThat(f.backupPath()).doesNotExist();
        f.store("two");
        assertThat(f.path()).hasContent("two");
        assertThat(f.backupPath()).hasContent("one");
        assertThat(Path.of(f.path() + ".tmp")).doesNotExist();
    }

    @Test
    void loadReturnsEmptyWhenNothingExists() throws IOException {
        assertThat(new ConfigFile(dir.resolve("none")).load(s -> s)).isEmpty();
    }

    @Test
    void loadUsesTheBackupWhenTheParserRejectsTheFile() throws IOException {
        ConfigFile f = new ConfigFile(dir.resolve("n.txt"));
        f.store("1");
        f.store("x");
        assertThat(f.load(Integer::parseInt)).contains(1);
        Files.delete(f.backupPath());
        f.store("2");
        assertThat(f.load(Integer::parseInt)).contains(2);
    }
}
