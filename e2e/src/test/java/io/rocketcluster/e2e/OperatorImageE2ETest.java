package io.rocketcluster.e2e;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.rocketcluster.operator.crd.RocketCluster;
import io.rocketcluster.operator.crd.RocketClusterStatus;
import io.rocketcluster.operator.mock.MockKubernetes;
import io.rocketcluster.operator.model.Labels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import static io.rocketcluster.operator.mock.MockKubernetes.condition;
import static io.rocketcluster.operator.mock.MockKubernetes.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator IMAGE works, not only its classes: rocketcluster-operator runs as a container, as the
 * Helm chart deploys it, against fabric8's mock Kubernetes API server (CRUD mode, the generated CRD
 * registered, server-side apply emulated by the operator module's SsaTolerantCrudDispatcher) that the
 * test starts on the host, and reconciles a RocketCluster created through the host's client.
 * <ul>
 *   <li>The chart is rendered with its defaults (helm-java, as the helm module's tests do; only
 *       image.tag is set to the images under test) and its Deployment is run by {@link PodsOnDocker}:
 *       env (OPERATOR_NAMESPACE from the downward API, WATCH_NAMESPACES empty, leader election on),
 *       runAsUser/runAsGroup, read-only root filesystem with the /tmp emptyDir, all capabilities
 *       dropped, no-new-privileges, the 512 MiB memory limit, the readiness probe.</li>
 *   <li>What a kubelet would provide for the API server instead (service-account token, the
 *       kubernetes Service) is replaced by fabric8's configuration variables pointing at the mock,
 *       which listens on the test network's gateway address for the test's lifetime only.</li>
 *   <li>The mock runs no controllers: the test plays the StatefulSet/Deployment controllers with
 *       {@link MockKubernetes#markReady}.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorImageE2ETest {
    private static final String IMAGE = "rocketcluster-operator";
    private static final Path CHART = Path.of(System.getProperty("rocketcluster.chart.dir", "../helm/rocketcluster-operator"));
    private static final String RELEASE = "rc";
    /** The release namespace: where the operator runs and holds its Lease. */
    private static final String OPERATOR_NAMESPACE = "rocketcluster-system";
    private static final String LEASE = "rocketcluster-operator";
    private static final String NAMESPACE = "e2e-op";
    private static final String NAME = "demo";
    private static final String MASTER = "demo-broker-0-master";
    private static final String SLAVE = "demo-broker-0-slave-1";
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The mock logs every request at INFO (java.util.logging); kept referenced so the level sticks. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

    private PodsOnDocker docker;
    private MockKubernetes k8s;
    private KubernetesClient client;
    private Deployment chartDeployment;
    private PodsOnDocker.Pod operator;
    private String masterUrl;

    /** On a failed test: the operator container's log on the console. */
    @RegisterExtension
    final TestWatcher printLogsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            printOperatorLog("after the failure of " + context.getDisplayName());
        }
    };

    @BeforeAll
    void up() throws Exception {
        Docker.assumeReady(IMAGE);
        MOCK_LOG.setLevel(Level.WARNING);
        long t0 = System.nanoTime();
        chartDeployment = renderChartDeployment();
        PodsOnDocker.log("chart rendered in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        Container c = chartDeployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getImage()).isEqualTo(IMAGE + ":" + Docker.TAG);

        docker = new PodsOnDocker(List.of(chartDeployment), "cluster.local").createNetwork();
        String gateway = Docker.firstLine(Docker.docker(30, "network", "inspect", "-f",
                "{{(index .IPAM.Config 0).Gateway}}", docker.network).orFail("network inspect").out());
        // bound to the gateway: reachable from the test's containers (and from this host), not from elsewhere
        k8s = new MockKubernetes(named(gateway), 0);
        client = k8s.client;
        masterUrl = "http://" + gateway + ":" + k8s.server.getPort();
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName("rocketclusters.rocketcluster.io").get())
                .as("the generated CRD is registered").isNotNull();
        for (String ns : List.of(OPERATOR_NAMESPACE, NAMESPACE)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
        PodsOnDocker.log("mock API server " + masterUrl);

        // fabric8's Config reads its system properties also as variables (kubernetes.master ->
        // KUBERNETES_MASTER). KUBERNETES_MASTER alone is enough here; the others keep a kubeconfig or a
        // service account from taking over. In a cluster the service-account token and
        // KUBERNETES_SERVICE_HOST/PORT take their place.
        List<EnvVar> env = new ArrayList<>(c.getEnv());
        env.add(new EnvVar("KUBERNETES_MASTER", masterUrl, null));
        env.add(new EnvVar("KUBERNETES_AUTH_TRYKUBECONFIG", "false", null));
        env.add(new EnvVar("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false", null));
        env.add(new EnvVar("KUBERNETES_NAMESPACE", OPERATOR_NAMESPACE, null));
        env.add(new EnvVar("KUBERNETES_TRUST_CERTIFICATES", "true", null));
        c.setEnv(env);
        long t1 = System.nanoTime();
        try {
            operator = docker.start(chartDeployment).get(0);
            docker.awaitReady(operator);
        } catch (Throwable t) {
            printOperatorLog("after the operator did not become ready");
            throw t;
        }
        PodsOnDocker.log("operator container ready " + (System.nanoTime() - t1) / 1_000_000 + " ms after docker run, "
                + (System.nanoTime() - t0) / 1_000_000 + " ms after the test began");
    }

    @AfterAll
    void down() {
        // the container first, so that it does not log the vanished API server
        if (docker != null) {
            docker.close();
        }
        if (k8s != null) {
            k8s.close();
        }
    }

    @Test
    @Order(1)
    void runsAsTheChartSaysAndHoldsTheLease() {
        Map<String, String> env = docker.env(operator);
        assertThat(env).containsEntry("OPERATOR_NAMESPACE", OPERATOR_NAMESPACE).containsEntry("WATCH_NAMESPACES", "")
                .containsEntry("LEADER_ELECTION_LEASE", LEASE);
        assertThat(docker.inspect(operator, "{{.Config.User}}")).isEqualTo("1000:1000");
        assertThat(docker.inspect(operator, "{{.HostConfig.ReadonlyRootfs}}")).isEqualTo("true");
        assertThat(docker.inspect(operator, "{{json .HostConfig.CapDrop}}")).isEqualTo("[\"ALL\"]");
        assertThat(docker.inspect(operator, "{{json .HostConfig.SecurityOpt}}")).contains("no-new-privileges");
        assertThat(docker.inspect(operator, "{{.HostConfig.Memory}}")).isEqualTo(String.valueOf(512L << 20));
        assertThat(docker.inspect(operator, "{{range .Mounts}}{{.Type}} {{.Destination}} {{.RW}};{{end}}"))
                .isEqualTo("volume /tmp true;");

        StringBuilder body = new StringBuilder();
        assertThat(docker.get(operator, "/health/ready", body)).isEqualTo(200);
        assertThat(body.toString()).isEqualTo("READY\n");
        assertThat(docker.get(operator, "/health/live", body)).isEqualTo(200);
        assertThat(docker.get(operator, "/metrics", body)).isEqualTo(200);
        assertThat(body).contains("jvm_memory_used_bytes");

        // leader election (the chart's default): JOSDK's identity is $HOSTNAME, the pod's name
        await("lease").atMost(WAIT).until(() -> holder() != null);
        assertThat(holder()).isEqualTo(operator.name());
        assertThat(log()).contains("RocketCluster operator started; namespaces: all; leader election: " + LEASE)
                .doesNotContain(" ERROR ");
    }

    @Test
    @Order(2)
    void createsTheClustersObjectsWithOwnerReferencesAndReportsNotReady() {
        long t0 = System.nanoTime();
        RocketCluster cr = new RocketCluster();
        cr.getMetadata().setName(NAME);
        cr.getMetadata().setNamespace(NAMESPACE);
        cr.getSpec().setVersion("1.0.0");
        cr.getSpec().getBroker().setGroups(1);
        cr.getSpec().getBroker().setSlavesPerGroup(1);
        String uid = client.resource(cr).create().getMetadata().getUid();

        await("the cluster's objects").atMost(WAIT).until(() -> k8s.statefulSet(NAMESPACE, MASTER) != null
                && k8s.statefulSet(NAMESPACE, SLAVE) != null && nameServer() != null
                && client.configMaps().inNamespace(NAMESPACE).withName("demo-broker-config").get() != null);
        PodsOnDocker.log("the operator container applied the cluster's objects "
                + (System.nanoTime() - t0) / 1_000_000 + " ms after the RocketCluster was created");
        List<HasMetadata> all = List.of(k8s.statefulSet(NAMESPACE, MASTER), k8s.statefulSet(NAMESPACE, SLAVE), nameServer(),
                client.configMaps().inNamespace(NAMESPACE).withName("demo-broker-config").get(),
                client.services().inNamespace(NAMESPACE).withName("demo-namesrv").get(),
                client.services().inNamespace(NAMESPACE).withName("demo-namesrv-headless").get(),
                client.services().inNamespace(NAMESPACE).withName("demo-broker-0").get(),
                client.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).withName("demo-namesrv").get(),
                client.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).withName("demo-broker-0").get());
        for (HasMetadata o : all) {
            assertThat(o).as("object exists").isNotNull();
            OwnerReference ref = o.getMetadata().getOwnerReferences().get(0);
            assertThat(ref.getKind()).as(o.getMetadata().getName()).isEqualTo("RocketCluster");
            assertThat(ref.getName()).isEqualTo(NAME);
            assertThat(ref.getUid()).isEqualTo(uid);
            assertThat(ref.getController()).isTrue();
            assertThat(o.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY_KEY, Labels.MANAGED_BY_VALUE);
        }
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName("demo-broker-config").get().getData())
                .containsOnlyKeys("broker-0-master.conf", "broker-0-slave-1.conf");
        assertThat(image(k8s.statefulSet(NAMESPACE, MASTER))).endsWith("rocketcluster-broker:1.0.0");

        await("status written").atMost(WAIT).untilAsserted(() -> {
            RocketClusterStatus st = k8s.status(NAMESPACE, NAME);
            assertThat(st.getObservedGeneration()).isEqualTo(1L);
            assertThat(st.getNameServerAddress()).isEqualTo("demo-namesrv.e2e-op.svc.cluster.local:9876");
            assertThat(condition(st, "Ready").getStatus()).isEqualTo("False");
            assertThat(condition(st, "Ready").getReason()).isEqualTo("NotReady");
            assertThat(condition(st, "Progressing").getStatus()).isEqualTo("True");
            assertThat(st.getReadyGroups()).isEqualTo("0/1");
        });
    }

    @Test
    @Order(3)
    void reportsReadyOnceTheWorkloadsAre() {
        k8s.markAllReady(NAMESPACE);
        await("Ready True").atMost(WAIT).untilAsserted(() -> {
            RocketClusterStatus st = k8s.status(NAMESPACE, NAME);
            assertThat(condition(st, "Ready").getStatus()).isEqualTo("True");
            assertThat(condition(st, "Progressing").getReason()).isEqualTo("Settled");
            assertThat(condition(st, "Degraded").getStatus()).isEqualTo("False");
            assertThat(st.getReadyGroups()).isEqualTo("1/1");
        });
    }

    @Test
    @Order(4)
    void aNewVersionRollsTheSlaveFirstThenTheMaster() {
        k8s.edit(NAMESPACE, NAME, c -> c.getSpec().setVersion("1.1.0"));
        await("slave updated").atMost(WAIT).until(() -> image(k8s.statefulSet(NAMESPACE, SLAVE)).endsWith(":1.1.0"));
        await("RollingOut").atMost(WAIT).untilAsserted(() -> {
            RocketClusterStatus st = k8s.status(NAMESPACE, NAME);
            assertThat(st.getObservedGeneration()).isEqualTo(2L);
            assertThat(condition(st, "Ready").getReason()).isEqualTo("RollingOut");
            assertThat(condition(st, "Progressing").getMessage()).contains("demo-broker-0-slave-1", "demo-broker-0-master");
        });
        assertThat(image(k8s.statefulSet(NAMESPACE, MASTER))).as("the master waits for the slave").endsWith(":1.0.0");
        assertThat(k8s.events(NAMESPACE, "RollingUpdate")).extracting(Event::getMessage)
                .anySatisfy(m -> assertThat(m).startsWith("updating demo-broker-0-slave-1"));

        k8s.markReady(k8s.statefulSet(NAMESPACE, SLAVE));
        await("master updated").atMost(WAIT).until(() -> image(k8s.statefulSet(NAMESPACE, MASTER)).endsWith(":1.1.0"));
        k8s.markAllReady(NAMESPACE);
        await("Ready True again").atMost(WAIT).untilAsserted(() -> {
            RocketClusterStatus st = k8s.status(NAMESPACE, NAME);
            assertThat(condition(st, "Ready").getStatus()).isEqualTo("True");
            assertThat(condition(st, "Progressing").getReason()).isEqualTo("Settled");
        });
    }

    @Test
    @Order(5)
    void stopsWithinTheGracePeriodOnSigterm() {
        long t0 = System.nanoTime();
        docker.stop(operator);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // 143 = SIGTERM handled by the JVM's shutdown hooks; 137 would be docker's SIGKILL after the grace period.
        // With leader election on JOSDK installs no shutdown hook (it warns so): the Lease is not released,
        // a successor waits for it to expire; logged below, not asserted.
        assertThat(docker.inspect(operator, "{{.State.ExitCode}}")).as(log()).isEqualTo("143");
        assertThat(docker.inspect(operator, "{{.State.OOMKilled}}")).isEqualTo("false");
        PodsOnDocker.log("operator stopped " + ms + " ms after SIGTERM; the Lease's holder afterwards: " + holder());
    }

    // ---------------------------------------------------------------------------------------------

    /** {@code helm template rc <chart> -n rocketcluster-system --set image.tag=<tag>}: its one Deployment. */
    private static Deployment renderChartDeployment() {
        assertThat(Files.isDirectory(CHART)).as("chart at " + CHART.toAbsolutePath()).isTrue();
        String yaml = new Helm(CHART.toAbsolutePath()).template().withName(RELEASE).withNamespace(OPERATOR_NAMESPACE)
                .set("image.tag", Docker.TAG).call();
        Object parsed = new KubernetesSerialization().unmarshal(yaml);
        List<?> objects = parsed instanceof List<?> l ? l : List.of(parsed);
        List<Deployment> deployments = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).toList();
        assertThat(deployments).as(yaml).hasSize(1);
        Deployment d = deployments.get(0);
        // the chart's Deployment carries no namespace of its own; helm install puts it in the release's
        if (d.getMetadata().getNamespace() == null) {
            d.getMetadata().setNamespace(OPERATOR_NAMESPACE);
        }
        return d;
    }

    private String log() {
        return Docker.docker(60, "logs", operator.container()).out();
    }

    private void printOperatorLog(String when) {
        if (operator == null) {
            return;
        }
        System.out.println("[e2e] ---- operator container log " + when + " ----");
        System.out.println(Docker.docker(60, "logs", "--timestamps", operator.container()).out());
        System.out.println("[e2e] ---- end of operator container log ----");
    }

    private String holder() {
        Lease l = client.leases().inNamespace(OPERATOR_NAMESPACE).withName(LEASE).get();
        return l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
    }

    private Deployment nameServer() {
        return client.apps().deployments().inNamespace(NAMESPACE).withName("demo-namesrv").get();
    }

    /** The address with its literal as host name (the mock asks for one: no reverse DNS lookup then). */
    private static InetAddress named(String literal) throws UnknownHostException {
        return InetAddress.getByAddress(literal, InetAddress.getByName(literal).getAddress());
    }
}
