package io.rocketcluster.operator.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** What the generated CRD declares: names, scope, the status subresource, printer columns, key schema rules. */
class CrdDefinitionTest {
    private final CustomResourceDefinition crd = CrdSupport.generatedCrd();

    private CustomResourceDefinitionVersion version() {
        assertThat(crd.getSpec().getVersions()).hasSize(1);
        return crd.getSpec().getVersions().get(0);
    }

    @Test
    void namesAndScope() {
        assertThat(crd.getMetadata().getName()).isEqualTo("rocketclusters.rocketcluster.io");
        assertThat(crd.getSpec().getGroup()).isEqualTo("rocketcluster.io").isEqualTo(RocketCluster.GROUP);
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo("RocketCluster");
        assertThat(crd.getSpec().getNames().getPlural()).isEqualTo("rocketclusters");
        assertThat(crd.getSpec().getNames().getSingular()).isEqualTo("rocketcluster");
        assertThat(crd.getSpec().getNames().getShortNames()).contains("rc", "rkc");
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(version().getName()).isEqualTo("v1alpha1").isEqualTo(RocketCluster.VERSION);
        assertThat(version().getServed()).isTrue();
        assertThat(version().getStorage()).isTrue();
        // the class and the CRD agree (what the client and the informers use)
        assertThat(new RocketCluster().getApiVersion()).isEqualTo("rocketcluster.io/v1alpha1");
        assertThat(new RocketCluster().getKind()).isEqualTo("RocketCluster");
    }

    @Test
    void statusIsASubresource() {
        assertThat(version().getSubresources()).isNotNull();
        assertThat(version().getSubresources().getStatus()).isNotNull();
        assertThat(version().getSubresources().getScale()).isNull();
    }

    @Test
    void printerColumns() {
        Map<String, CustomResourceColumnDefinition> cols = version().getAdditionalPrinterColumns().stream()
                .collect(Collectors.toMap(CustomResourceColumnDefinition::getName, c -> c));
        assertThat(cols).containsKeys("Ready", "Groups", "NameServer", "Version", "Age");
        assertThat(cols.get("Ready").getJsonPath()).isEqualTo(".status.conditions[?(@.type==\"Ready\")].status");
        assertThat(cols.get("Groups").getJsonPath()).isEqualTo(".status.readyGroups");
        assertThat(cols.get("NameServer").getJsonPath()).isEqualTo(".status.nameServerAddress");
        assertThat(cols.get("Version").getJsonPath()).isEqualTo(".spec.version");
        assertThat(cols.get("Age").getJsonPath()).isEqualTo(".metadata.creationTimestamp");
        assertThat(cols.get("Age").getType()).isEqualTo("date");
        assertThat(cols.get("Ready").getType()).isEqualTo("string");
        assertThat(cols.values()).allSatisfy(c -> assertThat(c.getPriority()).isIn(null, 0));
    }

    @Test
    void schemaCarriesTheConstraintsAndDefaults() {
        JSONSchemaProps spec = version().getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        JSONSchemaProps broker = spec.getProperties().get("broker");
        assertThat(broker.getProperties().get("groups").getMinimum()).isEqualTo(1.0);
        assertThat(broker.getProperties().get("groups").getMaximum()).isEqualTo(64.0);
        assertThat(broker.getProperties().get("groups").getDefault().asInt()).isEqualTo(1);
        assertThat(broker.getProperties().get("slavesPerGroup").getMinimum()).isEqualTo(0.0);
        assertThat(broker.getProperties().get("brokerRole").getEnum()).extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                .containsExactlyInAnyOrder("ASYNC_MASTER", "SYNC_MASTER");
        assertThat(broker.getProperties().get("storage").getProperties().get("size").getPattern())
                .isEqualTo("^[0-9]+(Mi|Gi|Ti)$");
        assertThat(broker.getProperties().get("config").getAdditionalProperties().getSchema().getType())
                .isEqualTo("string");
        assertThat(spec.getProperties().get("nameServer").getProperties().get("replicas").getMinimum()).isEqualTo(1.0);
        assertThat(spec.getProperties().get("externalAccess").getProperties().get("type").getEnum())
                .extracting(com.fasterxml.jackson.databind.JsonNode::asText).containsExactlyInAnyOrder("None", "NodePort");
        assertThat(spec.getProperties().get("externalAccess").getProperties().get("nameServerNodePort").getMaximum())
                .isEqualTo(32767.0);
        // the status is written by the operator only, through the subresource
        assertThat(version().getSchema().getOpenAPIV3Schema().getProperties().get("status").getProperties())
                .containsKeys("observedGeneration", "conditions", "readyGroups", "nameServerAddress", "brokerGroups");
    }
}
