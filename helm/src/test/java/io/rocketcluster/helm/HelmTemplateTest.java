package io.rocketcluster.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.rocketcluster.operator.crd.RocketCluster;
import io.rocketcluster.operator.crd.CrdSupport;
import io.rocketcluster.operator.model.SpecValidation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.rocketcluster.helm.ChartSupport.APP_VERSION;
import static io.rocketcluster.helm.ChartSupport.FULLNAME;
import static io.rocketcluster.helm.ChartSupport.NAMESPACE;
import static io.rocketcluster.helm.ChartSupport.RELEASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** {@code helm template} with several value sets, parsed back with fabric8. */
class HelmTemplateTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @TempDir
    Path dir;

    @Test
    void defaultsRenderTheOperatorAndNoCluster() {
        ChartSupport.Rendered r = ChartSupport.render(Map.of());
        assertThat(r.kinds()).containsExactlyInAnyOrder(
                "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Deployment");
        for (HasMetadata o : r.objects()) {
            assertThat(o.getMetadata().getLabels()).as("labels of %s", o.getKind()).contains(
                    entry("app.kubernetes.io/name", "rocketcluster-operator"),
                    entry("app.kubernetes.io/instance", RELEASE),
                    entry("app.kubernetes.io/version", APP_VERSION),
                    entry("app.kubernetes.io/managed-by", "Helm"),
                    entry("helm.sh/chart", "rocketcluster-operator-0.1.0"));
            if (!o.getKind().startsWith("Cluster")) {
                assertThat(o.getMetadata().getNamespace()).as("namespace of %s", o.getKind()).isEqualTo(NAMESPACE);
            }
        }
        assertThat(r.one(ServiceAccount.class).getMetadata().getName()).isEqualTo(FULLNAME);
    }

    @Test
    void theGrafanaDashboardIsAConfigMapForTheSidecarWhenEnabled() throws Exception {
        assertThat(ChartSupport.render(Map.of()).ofKind("ConfigMap")).isEmpty();
        ChartSupport.Rendered r = ChartSupport.render(Map.of("grafanaDashboard.enabled", true));
        io.fabric8.kubernetes.api.model.ConfigMap cm = r.one(io.fabric8.kubernetes.api.model.ConfigMap.class);
        assertThat(cm.getMetadata().getName()).isEqualTo(FULLNAME + "-grafana-dashboard");
        assertThat(cm.getMetadata().getNamespace()).isEqualTo(ChartSupport.NAMESPACE);
        assertThat(cm.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        String json = cm.getData().get("rocketcluster-brokers.json");
        assertThat(json).isEqualTo(java.nio.file.Files.readString(
                ChartSupport.CHART.resolve("dashboards/rocketcluster-brokers.json")).stripTrailing());
        com.fasterxml.jackson.databind.JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertThat(dashboard.get("uid").asText()).isEqualTo("rocketcluster-brokers");
        assertThat(dashboard.get("panels")).isNotEmpty();
        for (com.fasterxml.jackson.databind.JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.get("targets")).as(panel.get("title").asText()).isNotEmpty();
        }
    }

    @Test
    void defaultDeployment() {
        ChartSupport.Rendered r = ChartSupport.render(Map.of());
        Deployment d = r.deployment();
        assertThat(d.getMetadata().getName()).isEqualTo(FULLNAME);
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        assertThat(d.getSpec().getStrategy()).as("default RollingUpdate (leader election on)").isNull();
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
        assertThat(d.getSpec().getSelector().getMatchLabels()).containsOnlyKeys(
                "app.kubernetes.io/name", "app.kubernetes.io/instance");

        PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo(FULLNAME);

        Container c = r.operatorContainer();
        assertThat(c.getImage()).isEqualTo("rocketcluster-operator:" + APP_VERSION);
        assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(c.getArgs()).isNullOrEmpty();
        assertThat(c.getCommand()).as("the image's entrypoint runs the operator").isNullOrEmpty();

        assertThat(c.getEnv()).extracting(EnvVar::getName)
                .containsExactly("OPERATOR_NAMESPACE", "WATCH_NAMESPACES", "LEADER_ELECTION_LEASE");
        EnvVar ns = c.getEnv().get(0);
        assertThat(ns.getValue()).isNull();
        assertThat(ns.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        assertThat(r.env("WATCH_NAMESPACES")).isEmpty();
        assertThat(r.env("LEADER_ELECTION_LEASE")).isEqualTo("rocketcluster-operator");

        assertThat(c.getPorts()).hasSize(1);
        ContainerPort http = c.getPorts().get(0);
        assertThat(http.getName()).isEqualTo("http");
        assertThat(http.getContainerPort()).isEqualTo(8080);
        assertProbe(c.getStartupProbe(), "/health/live");
        assertProbe(c.getLivenessProbe(), "/health/live");
        assertProbe(c.getReadinessProbe(), "/health/ready");

        assertThat(c.getResources().getRequests()).containsOnly(
                entry("cpu", new Quantity("100m")), entry("memory", new Quantity("256Mi")));
        assertThat(c.getResources().getLimits()).containsOnly(entry("memory", new Quantity("512Mi")));
    }

    @Test
    void runsLockedDown() {
        ChartSupport.Rendered r = ChartSupport.render(Map.of());
        PodSpec pod = r.deployment().getSpec().getTemplate().getSpec();
        PodSecurityContext psc = pod.getSecurityContext();
        assertThat(psc.getRunAsNonRoot()).isTrue();
        assertThat(psc.getRunAsUser()).isEqualTo(1000L);
        assertThat(psc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

        SecurityContext sc = r.operatorContainer().getSecurityContext();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
        assertThat(sc.getPrivileged()).isNull();
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();

        // the only writable place: an emptyDir on /tmp
        assertThat(r.operatorContainer().getVolumeMounts()).singleElement()
                .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"))
                .satisfies(m -> assertThat(pod.getVolumes()).singleElement()
                        .satisfies(v -> assertThat(v.getName()).isEqualTo(m.getName()))
                        .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"registry.example.com:5000/acme", "registry.example.com:5000/acme/"})
    void customImage(String registry) {
        ChartSupport.Rendered r = ChartSupport.render(Map.of(
                "image.registry", registry, "image.repository", "rc-operator", "image.tag", "1.2.3",
                "image.pullPolicy", "Always"));
        assertThat(r.operatorContainer().getImage()).isEqualTo("registry.example.com:5000/acme/rc-operator:1.2.3");
        assertThat(r.operatorContainer().getImagePullPolicy()).isEqualTo("Always");
    }

    @Test
    void watchNamespacesAreCommaSeparated() {
        ChartSupport.Rendered r = ChartSupport.renderWithValues("watchNamespaces: [team-a, team-b]\n", dir);
        assertThat(r.env("WATCH_NAMESPACES")).isEqualTo("team-a,team-b");
        // a single string passes through as it is
        assertThat(ChartSupport.render(Map.of("watchNamespaces", "team-c")).env("WATCH_NAMESPACES"))
                .isEqualTo("team-c");
    }

    @Test
    void leaseNameIsAValue() {
        ChartSupport.Rendered r = ChartSupport.render(Map.of("leaderElection.leaseName", "my-lease", "replicas", 2));
        assertThat(r.env("LEADER_ELECTION_LEASE")).isEqualTo("my-lease");
        assertThat(r.deployment().getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void leaderElectionDisabled() {
        ChartSupport.Rendered r = ChartSupport.render(Map.of("leaderElection.enabled", false));
        assertThat(r.env("LEADER_ELECTION_LEASE")).isEmpty();
        assertThat(r.deployment().getSpec().getStrategy().getType()).isEqualTo("Recreate");
    }

    @Test
    void twoReplicasWithoutLeaderElectionAreRefused() {
        assertThatThrownBy(() -> ChartSupport.render(Map.of("leaderElection.enabled", false, "replicas", 2)))
                .hasMessageContaining("replicas > 1 needs leaderElection.enabled=true");
    }

    @Test
    void existingServiceAccount() {
        ChartSupport.Rendered r = ChartSupport.render(Map.of("serviceAccount.create", false,
                "serviceAccount.name", "ops-sa"));
        assertThat(r.kinds()).doesNotContain("ServiceAccount");
        assertThat(r.deployment().getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("ops-sa");
        assertThat(r.one(ClusterRoleBinding.class).getSubjects()).singleElement()
                .satisfies(s -> assertThat(s.getName()).isEqualTo("ops-sa"));
    }

    @Test
    void clusterEnabledRendersTheGivenSpec() throws IOException {
        String values = """
                cluster:
                  enabled: true
                  name: orders
                  spec:
                    version: "1.2.3"
                    nameServer:
                      replicas: 3
                    broker:
                      groups: 2
                      brokerRole: SYNC_MASTER
                      storage:
                        size: 50Gi
                      config:
                        autoCreateTopicEnable: "false"
                """;
        ChartSupport.Rendered r = ChartSupport.renderWithValues(values, dir);
        JsonNode cr = onlyRocketCluster(r);
        assertThat(cr.path("apiVersion").asText()).isEqualTo("rocketcluster.io/v1alpha1");
        assertThat(cr.path("metadata").path("name").asText()).isEqualTo("orders");
        assertThat(cr.path("metadata").path("namespace").asText()).isEqualTo(NAMESPACE);
        assertThat(cr.path("metadata").path("labels").path("app.kubernetes.io/managed-by").asText()).isEqualTo("Helm");
        assertThat(cr.get("spec")).isEqualTo(YAML.readTree(values).at("/cluster/spec"));
    }

    @Test
    void clusterEnabledWithNothingElseIsAnEmptySpecNamedAfterTheRelease() {
        JsonNode cr = onlyRocketCluster(ChartSupport.render(Map.of("cluster.enabled", true)));
        assertThat(cr.path("metadata").path("name").asText()).isEqualTo(RELEASE);
        assertThat(cr.get("spec")).isEqualTo(YAML.createObjectNode());
    }

    @Test
    void valuesExampleIsAValidRocketCluster() throws IOException {
        String example = ChartSupport.valuesExample();
        JsonNode expected = YAML.readTree(example).get("spec");
        assertThat(expected).as("example in values.yaml:\n%s", example).isNotNull();
        assertThat(expected.size()).as("fields in the example").isGreaterThan(5);

        ChartSupport.Rendered r = ChartSupport.renderWithValues(
                "cluster:\n  enabled: true\n" + ChartSupport.indent(example, "  "), dir);
        JsonNode cr = onlyRocketCluster(r);
        assertThat(cr.get("spec")).isEqualTo(expected);

        assertThat(CrdSupport.validate(cr.toString(), true)).as("CRD schema errors (strict)").isEmpty();
        RocketCluster typed = SERIALIZATION.unmarshal(SERIALIZATION.asJson(cr), RocketCluster.class);
        assertThat(SpecValidation.problems(typed)).as("operator's cross-field checks").isEmpty();
    }

    @Test
    void schemaCheckCatchesMistakes() {
        String bad = """
                apiVersion: rocketcluster.io/v1alpha1
                kind: RocketCluster
                metadata: {name: bad}
                spec:
                  broker:
                    groups: 0
                    storage: {size: 10GB}
                    bogus: 1
                """;
        assertThat(CrdSupport.validate(bad, true)).anySatisfy(
                m -> assertThat(m).contains("/broker/groups")).anySatisfy(
                m -> assertThat(m).contains("/broker/storage/size")).anySatisfy(
                m -> assertThat(m).contains("bogus"));
    }

    private static void assertProbe(Probe p, String path) {
        assertThat(p).as("probe %s", path).isNotNull();
        assertThat(p.getHttpGet().getPath()).isEqualTo(path);
        // the named port is containerPort 8080 (asserted above)
        assertThat(p.getHttpGet().getPort()).isEqualTo(new IntOrString("http"));
    }

    private static JsonNode onlyRocketCluster(ChartSupport.Rendered r) {
        List<HasMetadata> crs = r.ofKind("RocketCluster");
        assertThat(crs).as("RocketClusters in\n%s", r.yaml()).hasSize(1);
        return SERIALIZATION.unmarshal(SERIALIZATION.asJson(crs.get(0)), JsonNode.class);
    }
}
