package io.rocketcluster.operator.crd;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Quantity;
import io.rocketcluster.operator.model.ClusterModel;
import io.rocketcluster.operator.model.SpecValidation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample CRs under examples/ (top level) and a few invalid ones: schema validation against the
 * generated CRD's openAPIV3Schema (networknt, draft 4) in lenient mode (what the API server does:
 * unknown fields are pruned) and strict mode (what {@code kubectl apply --validate=strict} does:
 * unknown fields are errors), deserialization into {@link RocketCluster}, and the operator's own
 * cross-field validation.
 */
class ExamplesTest {

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> s = Files.list(CrdSupport.examplesDir())) {
            return s.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList().stream();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RocketCluster example(String file) {
        return CrdSupport.read(read(CrdSupport.examplesDir().resolve(file)));
    }

    @Test
    void theSamplesAreThere() throws IOException {
        assertThat(examples().map(p -> p.getFileName().toString()))
                .contains("rocketcluster-minimal.yaml", "rocketcluster.yaml", "rocketcluster-sync-external.yaml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everySampleTellsHowToApplyIt(Path file) {
        String text = read(file);
        assertThat(text).startsWith("#").contains("kubectl apply").contains("examples/" + file.getFileName());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everySampleValidatesLenientAndStrict(Path file) {
        String yaml = read(file);
        assertThat(CrdSupport.validate(yaml, false)).as("lenient").isEmpty();
        assertThat(CrdSupport.validate(yaml, true)).as("strict").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everySampleDeserializesAndPassesTheOperatorsValidation(Path file) {
        RocketCluster cr = CrdSupport.read(read(file));
        assertThat(cr.getApiVersion()).isEqualTo("rocketcluster.io/v1alpha1");
        assertThat(cr.getKind()).isEqualTo("RocketCluster");
        assertThat(cr.getMetadata().getName()).isNotBlank();
        assertThat(cr.getSpec()).isNotNull();
        assertThat(SpecValidation.problems(cr)).isEmpty();
        // and the model builds from it (the namespace comes from kubectl -n)
        cr.getMetadata().setNamespace("mq");
        ClusterModel m = ClusterModel.of(cr);
        assertThat(m.groups()).hasSize(cr.getSpec().getBroker().getGroups());
    }

    @Test
    void minimalSampleIsAllDefaults() {
        RocketCluster cr = example("rocketcluster-minimal.yaml");
        assertThat(cr.getSpec().getNameServer().getReplicas()).isEqualTo(2);
        assertThat(cr.getSpec().getBroker().getGroups()).isEqualTo(1);
        assertThat(cr.getSpec().getBroker().getSlavesPerGroup()).isEqualTo(1);
        assertThat(cr.getSpec().getBroker().getStorage().getSize()).isEqualTo("10Gi");
        assertThat(cr.getSpec().getExternalAccess().enabled()).isFalse();
    }

    @Test
    void typicalSample() {
        RocketCluster cr = example("rocketcluster.yaml");
        BrokerSpec b = cr.getSpec().getBroker();
        assertThat(cr.getSpec().getNameServer().getReplicas()).isEqualTo(2);
        assertThat(b.getGroups()).isEqualTo(1);
        assertThat(b.getSlavesPerGroup()).isEqualTo(1);
        assertThat(b.getBrokerRole()).isEqualTo(BrokerSpec.BrokerRole.ASYNC_MASTER);
        assertThat(b.getStorage().getSize()).isEqualTo("20Gi");
        assertThat(b.getResources().getLimits()).containsEntry("memory", new Quantity("4Gi"));
        assertThat(b.getConfig()).containsEntry("deleteWhen", "04").containsEntry("fileReservedTime", "72");
        assertThat(cr.getSpec().getScheduling().getTolerations()).singleElement()
                .satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));

        cr.getMetadata().setNamespace("mq");
        ConfigMap cm = (ConfigMap) ClusterModel.of(cr).shared().get(0);
        assertThat(cm.getData().get("broker-0-master.conf")).contains("\ndeleteWhen=04\n").contains("\nfileReservedTime=72\n");
    }

    @Test
    void syncExternalSample() {
        RocketCluster cr = example("rocketcluster-sync-external.yaml");
        BrokerSpec b = cr.getSpec().getBroker();
        assertThat(b.getGroups()).isEqualTo(2);
        assertThat(b.getBrokerRole()).isEqualTo(BrokerSpec.BrokerRole.SYNC_MASTER);
        assertThat(b.getFlushDiskType()).isEqualTo(BrokerSpec.FlushDiskType.SYNC_FLUSH);
        assertThat(b.getSlavesPerGroup()).isGreaterThanOrEqualTo(1);
        assertThat(cr.getSpec().getExternalAccess().getType()).isEqualTo(ExternalAccessSpec.Type.NodePort);
        assertThat(cr.getSpec().getExternalAccess().getAdvertisedHost()).isEqualTo("mq.example.com");
    }

    // ---- invalid samples ----

    private static String cr(String spec) {
        return """
                apiVersion: rocketcluster.io/v1alpha1
                kind: RocketCluster
                metadata:
                  name: bad
                spec:
                """ + spec.stripIndent().indent(2);
    }

    @Test
    void zeroGroupsIsRefused() {
        String yaml = cr("""
                broker:
                  groups: 0
                """);
        assertThat(CrdSupport.validate(yaml, false)).singleElement().asString()
                .isEqualTo("/spec/broker/groups: must have a minimum value of 1.0");
    }

    @Test
    void storageSizeInDecimalUnitsIsRefused() {
        String yaml = cr("""
                broker:
                  storage:
                    size: 10GB
                """);
        assertThat(CrdSupport.validate(yaml, false)).singleElement().asString()
                .isEqualTo("/spec/broker/storage/size: does not match the regex pattern ^[0-9]+(Mi|Gi|Ti)$");
    }

    @Test
    void unknownBrokerRoleIsRefused() {
        String yaml = cr("""
                broker:
                  brokerRole: MASTER
                """);
        assertThat(CrdSupport.validate(yaml, false)).singleElement().asString()
                .startsWith("/spec/broker/brokerRole: does not have a value in the enumeration")
                .contains("ASYNC_MASTER", "SYNC_MASTER");
    }

    @Test
    void unknownFieldIsRefusedInStrictModeOnly() {
        String yaml = cr("""
                broker:
                  groups: 2
                  bogusField: 1
                """);
        assertThat(CrdSupport.validate(yaml, false)).isEmpty();
        assertThat(CrdSupport.validate(yaml, true)).singleElement().asString()
                .isEqualTo("/spec/broker: property 'bogusField' is not defined in the schema and the schema does not"
                        + " allow additional properties");
        // also at the top of the spec, deep inside a list item, and at the root
        String deep = """
                apiVersion: rocketcluster.io/v1alpha1
                kind: RocketCluster
                metadata:
                  name: bad
                  labels: {team: mq}
                spec:
                  replicas: 3
                  scheduling:
                    tolerations:
                      - key: dedicated
                        effects: NoSchedule
                extra: true
                """;
        assertThat(CrdSupport.validate(deep, false)).isEmpty();
        assertThat(CrdSupport.validate(deep, true)).containsExactlyInAnyOrder(
                ": property 'extra' is not defined in the schema and the schema does not allow additional properties",
                "/spec: property 'replicas' is not defined in the schema and the schema does not allow additional properties",
                "/spec/scheduling/tolerations/0: property 'effects' is not defined in the schema and the schema does not"
                        + " allow additional properties");
    }

    @Test
    void otherSchemaRules() {
        assertThat(CrdSupport.validate(cr("""
                broker:
                  slavesPerGroup: 9
                  groups: "2"
                nameServer:
                  replicas: 0
                externalAccess:
                  type: LoadBalancer
                  brokerNodePortBase: 29000
                imagePullPolicy: Sometimes
                """), false)).hasSize(6);
        // config values are strings: a bare number in YAML is refused
        assertThat(CrdSupport.validate(cr("""
                broker:
                  config:
                    fileReservedTime: 72
                """), false)).singleElement().asString().startsWith("/spec/broker/config/fileReservedTime: ");
    }

    @Test
    void aClusterWrittenFromTheJavaModelValidatesStrictly() {
        RocketCluster cr = new RocketCluster();
        cr.getMetadata().setName("java");
        cr.getSpec().getBroker().getConfig().put("deleteWhen", "04");
        cr.getSpec().getExternalAccess().setType(ExternalAccessSpec.Type.NodePort);
        cr.getSpec().getExternalAccess().setAdvertisedHost("h");
        String yaml = CrdSupport.SERIALIZATION.asYaml(cr);
        assertThat(CrdSupport.validate(yaml, true)).isEmpty();
        assertThat(CrdSupport.read(yaml).getSpec().getBroker().getConfig()).isEqualTo(cr.getSpec().getBroker().getConfig());
    }

    @Test
    void schemaIsValidDraft4() {
        // building both schemas must not throw
        assertThat(List.of(CrdSupport.schema(false), CrdSupport.schema(true))).hasSize(2);
    }
}
