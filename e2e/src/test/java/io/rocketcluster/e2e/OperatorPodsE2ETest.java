package io.rocketcluster.e2e;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.rocketcluster.operator.crd.RocketCluster;
import io.rocketcluster.operator.model.ClusterModel;
import io.rocketcluster.operator.model.Names;
import io.rocketcluster.operator.model.SpecValidation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pods the operator generates form a working cluster. A RocketCluster (1 nameserver, 1 group of
 * master + slave) goes through {@link ClusterModel#of}, exactly what the reconciler applies; the
 * nameserver Deployment and the broker StatefulSets run as Docker containers translated field by
 * field from their pod templates by {@link PodsOnDocker} (images, args, env, the ConfigMap's
 * broker.conf files, emptyDir and claim volumes, the security context, memory limits), with the
 * Services' DNS names as network aliases. Then the official client, in the rocketcluster-client image
 * on the same network, sends and receives through the nameserver Service, and the slave is shown to
 * hold what the master stored: the same commitlog end offset on both, and every message consumed
 * again from the slave alone after the master was stopped. Needs no Kubernetes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorPodsE2ETest {
    private static final String NAMESPACE = "e2e";
    private static final int MESSAGES = 100;
    private static final String TOPIC = "E2eOperatorPods";

    private RocketCluster cr;
    private Names names;
    private ClusterModel model;
    private PodsOnDocker docker;
    private PodsOnDocker.Pod nameServer;
    private PodsOnDocker.Pod master;
    private PodsOnDocker.Pod slave;

    static RocketCluster cluster() {
        RocketCluster cr = new RocketCluster();
        cr.setMetadata(new ObjectMetaBuilder().withName("demo").withNamespace(NAMESPACE).build());
        cr.getSpec().setVersion(Docker.TAG);
        cr.getSpec().setImagePullPolicy("IfNotPresent");
        cr.getSpec().getNameServer().setReplicas(1);
        cr.getSpec().getNameServer().setResources(memory("256Mi"));
        cr.getSpec().getBroker().setGroups(1);
        cr.getSpec().getBroker().setSlavesPerGroup(1);
        cr.getSpec().getBroker().setResources(memory("512Mi"));
        return cr;
    }

    private static ResourceRequirements memory(String limit) {
        return new ResourceRequirementsBuilder().addToLimits("memory", new Quantity(limit)).build();
    }

    @BeforeAll
    void up() {
        Docker.assumeReady(Docker.IMAGES.toArray(String[]::new));
        cr = cluster();
        assertThat(SpecValidation.problems(cr)).as("the spec is valid").isEmpty();
        names = new Names(cr);
        model = ClusterModel.of(cr);
        Deployment nsDeployment = model.shared().stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .findFirst().orElseThrow();
        ClusterModel.Group group = model.groups().get(0);
        StatefulSet masterSts = group.master();
        StatefulSet slaveSts = group.rolloutOrder().get(0);
        assertThat(slaveSts).isNotSameAs(masterSts);

        long t0 = System.nanoTime();
        docker = new PodsOnDocker(model.all(), cr.getSpec().getClusterDomain());
        docker.createNetwork();
        // as the API server would: every pod is created at once, none waits for another
        nameServer = docker.start(nsDeployment).get(0);
        master = docker.start(masterSts).get(0);
        slave = docker.start(slaveSts).get(0);
        for (PodsOnDocker.Pod p : List.of(nameServer, master, slave)) {
            docker.awaitReady(p);
        }
        PodsOnDocker.log("3 pods ready " + (System.nanoTime() - t0) / 1_000_000 + " ms after the first docker run");
    }

    @AfterAll
    void down() {
        if (docker != null) {
            docker.close();
        }
    }

    @Test
    @Order(1)
    void podsRunAsGeneratedWithTheServicesDnsNames() {
        assertThat(nameServer.aliases()).containsExactlyInAnyOrder(
                "demo-namesrv.e2e.svc.cluster.local", "demo-namesrv-headless.e2e.svc.cluster.local");
        assertThat(master.aliases()).contains(names.brokerHost(0, 0))
                .contains("demo-broker-0-master-0.demo-broker-0.e2e.svc.cluster.local");
        assertThat(slave.aliases()).contains(names.brokerHost(0, 1))
                .contains("demo-broker-0-slave-1-0.demo-broker-0.e2e.svc.cluster.local");
        // what the operator generates, run by Docker: literal values, not the pod spec PodsOnDocker translated
        for (PodsOnDocker.Pod p : List.of(nameServer, master, slave)) {
            assertThat(docker.inspect(p, "{{.Config.User}}")).as(p.name()).isEqualTo("1000:0");
            assertThat(docker.inspect(p, "{{json .HostConfig.GroupAdd}}")).as(p.name()).isEqualTo("[\"1000\"]");
            assertThat(docker.inspect(p, "{{.HostConfig.ReadonlyRootfs}}")).as(p.name()).isEqualTo("true");
            assertThat(docker.inspect(p, "{{json .HostConfig.CapDrop}}")).as(p.name()).isEqualTo("[\"ALL\"]");
            assertThat(docker.inspect(p, "{{json .HostConfig.SecurityOpt}}")).as(p.name()).contains("no-new-privileges");
        }
        // 256Mi nameserver: half the limit as heap; 512Mi brokers: half as heap, a quarter as direct memory
        assertThat(docker.env(nameServer)).containsEntry("JAVA_TOOL_OPTIONS", "-Xms128m -Xmx128m");
        assertThat(docker.env(master)).containsEntry("JAVA_TOOL_OPTIONS", "-Xms256m -Xmx256m -XX:MaxDirectMemorySize=128m");
        assertThat(docker.env(slave)).containsEntry("JAVA_TOOL_OPTIONS", "-Xms256m -Xmx256m -XX:MaxDirectMemorySize=128m");
        assertThat(docker.inspect(nameServer, "{{.Config.Image}}")).isEqualTo("rocketcluster-namesrv:" + Docker.TAG);
        assertThat(docker.inspect(master, "{{.Config.Image}}")).isEqualTo("rocketcluster-broker:" + Docker.TAG);
        assertThat(docker.inspect(slave, "{{.Config.Image}}")).isEqualTo("rocketcluster-broker:" + Docker.TAG);
        assertThat(docker.inspect(nameServer, "{{.HostConfig.Memory}}")).isEqualTo("268435456");
        assertThat(docker.inspect(master, "{{.HostConfig.Memory}}")).isEqualTo("536870912");
        assertThat(docker.inspect(slave, "{{.HostConfig.Memory}}")).isEqualTo("536870912");
        assertThat(docker.inspect(master, "{{json .Config.Cmd}}")).isEqualTo("[\"-c\",\"/etc/rocketcluster/broker-0-master.conf\"]");
        assertThat(docker.inspect(slave, "{{json .Config.Cmd}}")).isEqualTo("[\"-c\",\"/etc/rocketcluster/broker-0-slave-1.conf\"]");
        // the store on its own named volume, broker.conf read-only, /tmp writable
        assertThat(docker.inspect(master, "{{range .Mounts}}{{.Type}} {{.Destination}} {{.RW}};{{end}}"))
                .contains("volume /var/lib/rocketcluster true").contains("bind /etc/rocketcluster false")
                .contains("volume /tmp true");
        // the brokers identify as the generated broker.conf says
        StringBuilder body = new StringBuilder();
        assertThat(docker.get(master, "/metrics", body)).isEqualTo(200);
        assertThat(body).contains("broker=\"broker-0\"").contains("broker_id=\"0\"").contains("role=\"ASYNC_MASTER\"");
        assertThat(docker.get(slave, "/metrics", body)).isEqualTo(200);
        assertThat(body).contains("broker=\"broker-0\"").contains("broker_id=\"1\"").contains("role=\"SLAVE\"");
    }

    @Test
    @Order(2)
    void clientOnThePodNetworkSendsAndReceivesThroughTheNameServerService() {
        String ns = names.nameServerAddress();
        assertThat(ns).isEqualTo("demo-namesrv.e2e.svc.cluster.local:9876");
        Docker.Result sent = client("send", "-n", ns, "-t", TOPIC, "-m", "operator pods", "--count", String.valueOf(MESSAGES));
        assertThat(sent.exitCode()).as(sent.out()).isZero();
        assertThat(count(sent.out(), "sendStatus=SEND_OK")).as(sent.out()).isEqualTo(MESSAGES);
        assertThat(sent.out()).contains("brokerName=broker-0");
        Docker.Result received = client("receive", "-n", ns, "-t", TOPIC, "--count", String.valueOf(MESSAGES), "--timeout", "90");
        assertThat(received.exitCode()).as(received.out()).isZero();
        assertThat(bodies(received.out())).isEqualTo(expectedBodies());
        PodsOnDocker.log(MESSAGES + " messages sent and received by the official client on the pod network via " + ns);
    }

    @Test
    @Order(3)
    void slaveHoldsWhatTheMasterStoredAndServesItWithoutTheMaster() {
        assertThat(metric(slave, "rocketcluster_ha_master_connected")).isEqualTo(1);
        assertThat(metric(master, "rocketcluster_ha_connected_slaves")).isEqualTo(1);
        await("slave's commitlog catches up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            long m = metric(master, "rocketcluster_commitlog_max_offset");
            return m > 0 && metric(slave, "rocketcluster_commitlog_max_offset") == m;
        });
        long end = metric(master, "rocketcluster_commitlog_max_offset");
        assertThat(metric(master, "rocketcluster_replication_lag_bytes")).isZero();
        PodsOnDocker.log("master and slave commitlogs both end at " + end);

        // as a pod deletion does: SIGTERM, terminationGracePeriodSeconds, then SIGKILL
        docker.stop(master);
        assertThat(docker.inspect(master, "{{.State.OOMKilled}}")).isEqualTo("false");
        // a new consumer group reads every message from the slave alone
        Docker.Result fromSlave = client("receive", "-n", names.nameServerAddress(), "-t", TOPIC,
                "--count", String.valueOf(MESSAGES), "--timeout", "120");
        assertThat(fromSlave.exitCode()).as(fromSlave.out()).isZero();
        assertThat(bodies(fromSlave.out())).isEqualTo(expectedBodies());
        assertThat(metric(slave, "rocketcluster_commitlog_max_offset")).isEqualTo(end);
        PodsOnDocker.log("all " + MESSAGES + " messages consumed again from the slave with the master stopped");
    }

    /** bin/mqclient in the rocketcluster-client image on the pod network (it resolves the Services' names). */
    private Docker.Result client(String... args) {
        return docker.runOnNetwork(240, "rocketcluster-client:" + Docker.TAG, List.of("--memory", "512m"), args);
    }

    private long metric(PodsOnDocker.Pod pod, String name) {
        StringBuilder body = new StringBuilder();
        if (docker.get(pod, "/metrics", body) != 200) {
            return -1;
        }
        for (String line : body.toString().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    private static int count(String out, String needle) {
        return (int) out.lines().filter(l -> l.contains(needle)).count();
    }

    /** The bodies the receive command printed (" body=..." ends each message line). */
    private static Set<String> bodies(String out) {
        List<String> all = new ArrayList<>();
        out.lines().filter(l -> l.startsWith("msgId=")).forEach(l -> all.add(l.substring(l.indexOf(" body=") + 6)));
        assertThat(all).as("no message twice").doesNotHaveDuplicates();
        return new TreeSet<>(all);
    }

    private static Set<String> expectedBodies() {
        Set<String> s = new TreeSet<>();
        for (int i = 0; i < MESSAGES; i++) {
            s.add("operator pods #" + i);
        }
        return s;
    }
}
