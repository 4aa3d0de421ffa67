package io.rocketcluster.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.rocketcluster.helm.ChartSupport.CHART;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code helm lint --strict}: no errors, no warnings, not even INFO messages. */
class HelmLintTest {
    @Test
    void lintsCleanWithDefaultValues() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.getMessages()).as("lint messages").isEmpty();
        assertThat(result.isFailed()).isFalse();
    }

    @Test
    void lintsCleanWithTheValuesExampleClusterEnabled(@TempDir Path dir) {
        // helm-java's lint takes no values, so lint a copy whose values.yaml enables the example cluster
        LintResult result = new Helm(ChartSupport.chartCopyWithExampleCluster(dir)).lint().strict().call();
        assertThat(result.getMessages()).as("lint messages").isEmpty();
        assertThat(result.isFailed()).isFalse();
    }

    @Test
    void lintReallyLooksAtTheTemplates(@TempDir Path dir) {
        Path copy = ChartSupport.copyChart(dir);
        ChartSupport.write(copy.resolve("templates/broken.yaml"), "{{ if .Values.replicas }}\nkind: ConfigMap\n");
        LintResult result = new Helm(copy).lint().strict().call();
        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("broken.yaml");
    }
}
