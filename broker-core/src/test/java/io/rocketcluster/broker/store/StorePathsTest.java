package io.rocketcluster.broker.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorePathsTest {
    @TempDir
    Path root;

    @ParameterizedTest
    @ValueSource(strings = {"TopicA", "%RETRY%group", "%DLQ%group", "a-b_c|d", "0", "a.b", ".x", "\u00e9"})
    void aPlainNameResolvesDirectlyUnderTheRoot(String name) {
        Path p = StorePaths.under(root, name, "3");
        assertThat(p).isEqualTo(root.resolve(name).resolve("3"));
        assertThat(p.getParent().getParent()).isEqualTo(root);
        assertThat(StorePaths.problem(name)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "..", "a/..", "%RETRY%../../x", "a..b", "a/b", "/etc", "a\\b", "\\", ".", "",
            "a\u0000b", "\u0000", "a\nb", "tab\there"})
    void aNameThatIsNotOnePlainElementIsRefused(String name) {
        assertThatThrownBy(() -> StorePaths.under(root, name)).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("\u0000").doesNotContain("\n");
        assertThatThrownBy(() -> StorePaths.under(root, "fine", name)).isInstanceOf(IllegalArgumentException.class);
        assertThat(StorePaths.problem(name)).isNotNull();
    }

    @Test
    void absolutePathsAndNullAreRefused() {
        assertThatThrownBy(() -> StorePaths.under(root, root.resolve("x").toString()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StorePaths.under(root, (String) null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StorePaths.under(root)).as("the root itself is not under the root")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRelativeRootWorksAsWell() {
        Path relative = Path.of("store", "consumequeue");
        assertThat(StorePaths.under(relative, "T", "0")).isEqualTo(relative.resolve("T").resolve("0"));
        assertThatThrownBy(() -> StorePaths.under(relative, "..")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void multiByteNamesOf127And128BytesArePlainNames() {
        // the byte limit is RecordLimits' business; a path element may be longer
        String n127 = "\u00e9".repeat(63) + "a";
        String n128 = "\u00e9".repeat(64);
        assertThat(n127.getBytes(StandardCharsets.UTF_8)).hasSize(127);
        assertThat(n128.getBytes(StandardCharsets.UTF_8)).hasSize(128);
        assertThat(StorePaths.under(root, n127)).isEqualTo(root.resolve(n127));
        assertThat(StorePaths.under(root, n128)).isEqualTo(root.resolve(n128));
    }
}
