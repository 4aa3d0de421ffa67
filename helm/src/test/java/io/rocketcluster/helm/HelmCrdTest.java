package io.rocketcluster.helm;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.rocketcluster.operator.crd.RocketCluster;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.rocketcluster.helm.ChartSupport.CHART_CRD;
import static io.rocketcluster.helm.ChartSupport.GENERATED_CRD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's crds/ file: lint does not look into crds/ and helm-java's template cannot include it,
 * so it is checked here.
 */
class HelmCrdTest {
    static final String COPY_COMMAND = "mvn -B -pl operator -am process-classes && cp "
            + "operator/target/classes/META-INF/fabric8/rocketclusters.rocketcluster.io-v1.yml "
            + "helm/rocketcluster-operator/crds/";
    private static final Path HELM_DIR = ChartSupport.CHART.getParent();

    @Test
    void chartCrdIsTheGeneratedCrd() throws IOException {
        byte[] generated;
        try (InputStream in = HelmCrdTest.class.getResourceAsStream(GENERATED_CRD)) {
            assertThat(in).as("generated CRD %s on the classpath (operator module)", GENERATED_CRD).isNotNull();
            generated = in.readAllBytes();
        }
        assertThat(CHART_CRD).exists();
        byte[] chart = Files.readAllBytes(CHART_CRD);
        assertThat(chart)
                .as("the chart's %s is stale: the CRD generated from the operator's model differs. Copy it: %s",
                        HELM_DIR.relativize(CHART_CRD), COPY_COMMAND)
                .isEqualTo(generated);
    }

    @Test
    void chartCrdIsTheRocketClusterCrd() throws IOException {
        Object parsed;
        try (InputStream in = Files.newInputStream(CHART_CRD)) {
            parsed = new KubernetesSerialization().unmarshal(in);
        }
        assertThat(parsed).as("one CustomResourceDefinition document").isInstanceOf(CustomResourceDefinition.class);
        CustomResourceDefinition crd = (CustomResourceDefinition) parsed;
        assertThat(crd.getApiVersion()).isEqualTo("apiextensions.k8s.io/v1");
        assertThat(crd.getMetadata().getName()).isEqualTo("rocketclusters.rocketcluster.io");
        assertThat(crd.getSpec().getGroup()).isEqualTo(RocketCluster.GROUP).isEqualTo("rocketcluster.io");
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo("RocketCluster");
        assertThat(crd.getSpec().getNames().getPlural()).isEqualTo("rocketclusters");
        assertThat(crd.getSpec().getNames().getSingular()).isEqualTo("rocketcluster");
        assertThat(crd.getSpec().getVersions()).extracting(CustomResourceDefinitionVersion::getName)
                .containsExactly(RocketCluster.VERSION);
        CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
        assertThat(v.getServed()).isTrue();
        assertThat(v.getStorage()).isTrue();
        assertThat(v.getSubresources().getStatus()).as("status subresource").isNotNull();
        assertThat(v.getSchema().getOpenAPIV3Schema().getProperties()).containsKeys("spec", "status");
    }
}
