package io.rocketcluster.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.rocketcluster.operator.crd.RocketCluster;
import io.rocketcluster.operator.crd.RocketClusterStatus;
import io.rocketcluster.operator.mock.FakeBrokerAdmin;
import io.rocketcluster.operator.mock.MockKubernetes;
import io.rocketcluster.operator.model.Labels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import static io.rocketcluster.operator.mock.MockKubernetes.condition;
import static io.rocketcluster.operator.mock.MockKubernetes.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator, started for real, against fabric8's mock API server (CRUD mode, generated CRD
 * registered, server-side apply emulated): it creates, updates and prunes the children as RocketClusters
 * are created and changed, rolls brokers one at a time, guards scale-in and writes status and Events.
 */
class OperatorMockServerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private MockKubernetes k8s;
    private KubernetesClient client;
    private final FakeBrokerAdmin admin = new FakeBrokerAdmin();

    @BeforeEach
    void start() {
        k8s = new MockKubernetes().startOperator(admin);
        client = k8s.client;
    }

    @AfterEach
    void stop() {
        k8s.close();
    }

    @Test
    void createsTheClustersObjectsWithOwnerReferencesAndReportsReadiness() {
        RocketCluster cr = create("team-a", "demo", c -> c);

        StatefulSet master = await().atMost(WAIT).until(() -> sts("team-a", "demo-broker-0-master"), s -> s != null);
        StatefulSet slave = sts("team-a", "demo-broker-0-slave-1");
        assertThat(slave).isNotNull();
        Deployment ns = client.apps().deployments().inNamespace("team-a").withName("demo-namesrv").get();
        ConfigMap cm = client.configMaps().inNamespace("team-a").withName("demo-broker-config").get();
        List<HasMetadata> all = List.of(master, slave, ns, cm,
                client.services().inNamespace("team-a").withName("demo-namesrv").get(),
                client.services().inNamespace("team-a").withName("demo-namesrv-headless").get(),
                client.services().inNamespace("team-a").withName("demo-broker-0").get(),
                client.policy().v1().podDisruptionBudget().inNamespace("team-a").withName("demo-namesrv").get(),
                client.policy().v1().podDisruptionBudget().inNamespace("team-a").withName("demo-broker-0").get());
        String uid = client.resource(cr).get().getMetadata().getUid();
        for (HasMetadata o : all) {
            assertThat(o).as("object exists").isNotNull();
            OwnerReference ref = o.getMetadata().getOwnerReferences().get(0);
            assertThat(ref.getKind()).isEqualTo("RocketCluster");
            assertThat(ref.getUid()).isEqualTo(uid);
            assertThat(ref.getController()).isTrue();
            assertThat(o.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY_KEY, Labels.MANAGED_BY_VALUE);
        }
        assertThat(cm.getData()).containsOnlyKeys("broker-0-master.conf", "broker-0-slave-1.conf");

        await().atMost(WAIT).untilAsserted(() -> {
            RocketClusterStatus st = status("team-a", "demo");
            assertThat(st.getObservedGeneration()).isEqualTo(1L);
            assertThat(st.getNameServerAddress()).isEqualTo("demo-namesrv.team-a.svc.cluster.local:9876");
            assertThat(condition(st, "Ready").getStatus()).isEqualTo("False");
            assertThat(condition(st, "Progressing").getStatus()).isEqualTo("True");
            assertThat(st.getReadyGroups()).isEqualTo("0/1");
        });

        markAllReady("team-a");
        await().atMost(WAIT).untilAsserted(() -> {
            RocketClusterStatus st = status("team-a", "demo");
            assertThat(condition(st, "Ready").getStatus()).isEqualTo("True");
            assertThat(condition(st, "Progressing").getReason()).isEqualTo("Settled");
            assertThat(condition(st, "Degraded").getStatus()).isEqualTo("False");
            assertThat(st.getReadyGroups()).isEqualTo("1/1");
            assertThat(st.getBrokerGroups()).singleElement().satisfies(g -> {
                assertThat(g.isMasterReady()).isTrue();
                assertThat(g.getReadySlaves()).isEqualTo(1);
                assertThat(g.getPhase()).isEqualTo("Running");
            });
        });
        assertSettledClusterIsIdle();
    }

    @Test
    void rollsAnImageChangeOutSlaveFirstThenMasterWaitingForReadiness() {
        create("roll", "demo", c -> c);
        awaitReadyCluster("roll", "demo");

        edit("roll", "demo", c -> c.getSpec().setVersion("1.1.0"));
        // the slave is updated first; the master keeps its image until the slave is ready again
        await().atMost(WAIT).until(() -> image(sts("roll", "demo-broker-0-slave-1")).endsWith(":1.1.0"));
        await().atMost(WAIT).untilAsserted(() -> {
            RocketClusterStatus st = status("roll", "demo");
            assertThat(st.getObservedGeneration()).isEqualTo(2L);
            assertThat(condition(st, "Ready").getReason()).isEqualTo("RollingOut");
            assertThat(condition(st, "Progressing").getMessage()).contains("demo-broker-0-slave-1", "demo-broker-0-master");
        });
        assertThat(image(sts("roll", "demo-broker-0-master"))).endsWith(":1.0.0");
        assertThat(events("roll", "RollingUpdate")).extracting(Event::getMessage)
                .anySatisfy(m -> assertThat(m).startsWith("updating demo-broker-0-slave-1"));
        assertThat(client.apps().deployments().inNamespace("roll").withName("demo-namesrv").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).endsWith(":1.1.0");

        k8s.markReady(sts("roll", "demo-broker-0-slave-1"));
        await().atMost(WAIT).until(() -> image(sts("roll", "demo-broker-0-master")).endsWith(":1.1.0"));
        k8s.markReady(sts("roll", "demo-broker-0-master"));
        k8s.markReady(client.apps().deployments().inNamespace("roll").withName("demo-namesrv").get());
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(condition(status("roll", "demo"), "Ready").getStatus()).isEqualTo("True"));

        // a broker.conf change rolls the same way, and the new entry is in the ConfigMap
        String hashBefore = confHash("roll", "demo-broker-0-slave-1");
        edit("roll", "demo", c -> c.getSpec().getBroker().getConfig().put("fileReservedTime", "24"));
        await().atMost(WAIT).until(() -> confHash("roll", "demo-broker-0-slave-1") != null
                && !confHash("roll", "demo-broker-0-slave-1").equals(hashBefore));
        String masterHash = confHash("roll", "demo-broker-0-master");
        assertThat(client.configMaps().inNamespace("roll").withName("demo-broker-config").get().getData()
                .get("broker-0-master.conf")).contains("fileReservedTime=24");
        assertThat(confHash("roll", "demo-broker-0-master")).isEqualTo(masterHash);
        k8s.markReady(sts("roll", "demo-broker-0-slave-1"));
        await().atMost(WAIT).until(() -> !confHash("roll", "demo-broker-0-master").equals(masterHash));
    }

    @Test
    void scalesOutAtOnceAndScalesInOnlyAGroupWithoutUnconsumedMessages() {
        create("scale", "demo", c -> c);
        awaitReadyCluster("scale", "demo");

        edit("scale", "demo", c -> c.getSpec().getBroker().setGroups(2));
        await().atMost(WAIT).until(() -> sts("scale", "demo-broker-1-master") != null
                && sts("scale", "demo-broker-1-slave-1") != null);
        assertThat(client.services().inNamespace("scale").withName("demo-broker-1").get()).isNotNull();
        assertThat(client.configMaps().inNamespace("scale").withName("demo-broker-config").get().getData())
                .containsKeys("broker-1-master.conf", "broker-1-slave-1.conf");
        markAllReady("scale");
        await().atMost(WAIT).untilAsserted(() -> assertThat(status("scale", "demo").getReadyGroups()).isEqualTo("2/2"));

        String broker1 = "demo-broker-1-master-0.demo-broker-1.scale.svc.cluster.local:10911";
        admin.backlog.put(broker1, 42L);
        edit("scale", "demo", c -> c.getSpec().getBroker().setGroups(1));
        await().atMost(WAIT).untilAsserted(() -> {
            RocketClusterStatus st = status("scale", "demo");
            assertThat(condition(st, "Degraded").getReason()).isEqualTo("ScaleInBlocked");
            assertThat(condition(st, "Degraded").getMessage()).contains("broker-1 still holds 42 unconsumed messages");
            assertThat(st.getBrokerGroups()).anySatisfy(g -> {
                assertThat(g.getBrokerName()).isEqualTo("broker-1");
                assertThat(g.getPhase()).isEqualTo("Draining");
            });
        });
        assertThat(admin.readOnly).contains(broker1);
        assertThat(sts("scale", "demo-broker-1-master")).isNotNull();
        assertThat(sts("scale", "demo-broker-1-slave-1")).isNotNull();
        assertThat(client.configMaps().inNamespace("scale").withName("demo-broker-config").get().getData()
                .get("broker-1-master.conf")).contains("brokerPermission=4");
        assertThat(events("scale", "ScaleInBlocked")).isNotEmpty();

        String since = status("scale", "demo").getBrokerGroups().stream()
                .filter(g -> g.getBrokerName().equals("broker-1")).findFirst().orElseThrow().getDrainingSince();
        assertThat(since).isNotNull();

        // no backlog left: still kept until it has been read-only for the grace period, then removed
        admin.backlog.put(broker1, 0L);
        await().atMost(WAIT).until(() -> sts("scale", "demo-broker-1-master") == null
                && sts("scale", "demo-broker-1-slave-1") == null);
        assertThat(java.time.Instant.now()).isAfterOrEqualTo(java.time.Instant.parse(since).plus(MockKubernetes.DRAIN_GRACE));
        assertThat(client.services().inNamespace("scale").withName("demo-broker-1").get()).isNull();
        assertThat(client.policy().v1().podDisruptionBudget().inNamespace("scale").withName("demo-broker-1").get()).isNull();
        await().atMost(WAIT).untilAsserted(() -> {
            RocketClusterStatus st = status("scale", "demo");
            assertThat(condition(st, "Degraded").getStatus()).isEqualTo("False");
            assertThat(st.getBrokerGroups()).extracting(RocketClusterStatus.BrokerGroupStatus::getBrokerName)
                    .containsExactly("broker-0");
        });
        assertThat(client.configMaps().inNamespace("scale").withName("demo-broker-config").get().getData())
                .containsOnlyKeys("broker-0-master.conf", "broker-0-slave-1.conf");
        assertThat(events("scale", "ScaledIn")).isNotEmpty();
        assertThat(sts("scale", "demo-broker-0-master")).isNotNull();
    }

    @Test
    void aDrainedGroupWaitsOutTheGraceBeforeItGoes() {
        create("grace", "demo", c -> {
            c.getSpec().getBroker().setGroups(2);
            return c;
        });
        await().atMost(WAIT).until(() -> sts("grace", "demo-broker-1-master") != null);
        admin.backlog.put("demo-broker-1-master-0.demo-broker-1.grace.svc.cluster.local:10911", 0L);
        edit("grace", "demo", c -> c.getSpec().getBroker().setGroups(1));
        await().atMost(WAIT).untilAsserted(() -> assertThat(condition(status("grace", "demo"), "Degraded").getMessage())
                .contains("broker-1 is read-only since", "has no backlog"));
        assertThat(sts("grace", "demo-broker-1-master")).as("kept during the grace period").isNotNull();
        await().atMost(WAIT).until(() -> sts("grace", "demo-broker-1-master") == null);
    }

    @Test
    void aCancelledScaleInMakesTheGroupWritableAgain() {
        create("cancel", "demo", c -> {
            c.getSpec().getBroker().setGroups(2);
            return c;
        });
        await().atMost(WAIT).until(() -> sts("cancel", "demo-broker-1-master") != null);
        String broker1 = "demo-broker-1-master-0.demo-broker-1.cancel.svc.cluster.local:10911";
        admin.backlog.put(broker1, 5L);
        edit("cancel", "demo", c -> c.getSpec().getBroker().setGroups(1));
        await().atMost(WAIT).until(() -> admin.readOnly.contains(broker1));
        await().atMost(WAIT).untilAsserted(() -> assertThat(status("cancel", "demo").getBrokerGroups())
                .anySatisfy(g -> assertThat(g.getDrainingSince()).isNotNull()));

        edit("cancel", "demo", c -> c.getSpec().getBroker().setGroups(2));
        await().atMost(WAIT).until(() -> admin.madeWritable.contains(broker1));
        assertThat(admin.readOnly).doesNotContain(broker1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(status("cancel", "demo").getBrokerGroups())
                .allSatisfy(g -> {
                    assertThat(g.getDrainingSince()).isNull();
                    assertThat(g.getPhase()).isNotEqualTo("Draining");
                }));
        assertThat(events("cancel", "ScaleInCancelled")).isNotEmpty();
        assertThat(sts("cancel", "demo-broker-1-master")).isNotNull();
    }

    @Test
    void aStatefulSetScaledByHandIsScaledBack() {
        create("drift", "demo", c -> c);
        await().atMost(WAIT).until(() -> sts("drift", "demo-broker-0-master") != null);
        client.apps().statefulSets().inNamespace("drift").withName("demo-broker-0-master").scale(0);
        await().atMost(WAIT).until(() -> sts("drift", "demo-broker-0-master").getSpec().getReplicas() == 1);
    }

    @Test
    void aGroupThatCannotBeAskedIsKept() {
        create("unreachable", "demo", c -> {
            c.getSpec().getBroker().setGroups(2);
            return c;
        });
        await().atMost(WAIT).until(() -> sts("unreachable", "demo-broker-1-master") != null);
        edit("unreachable", "demo", c -> c.getSpec().getBroker().setGroups(1));
        await().atMost(WAIT).untilAsserted(() -> assertThat(condition(status("unreachable", "demo"), "Degraded")
                .getMessage()).contains("cannot ask broker-1", "connect to demo-broker-1-master-0"));
        assertThat(sts("unreachable", "demo-broker-1-master")).isNotNull();
    }

    @Test
    void fewerSlavesAndNoExternalAccessPruneTheirObjects() {
        create("prune", "demo", c -> {
            c.getSpec().getBroker().setSlavesPerGroup(2);
            c.getSpec().getExternalAccess().setType(io.rocketcluster.operator.crd.ExternalAccessSpec.Type.NodePort);
            c.getSpec().getExternalAccess().setAdvertisedHost("node1.example.test");
            return c;
        });
        await().atMost(WAIT).until(() -> sts("prune", "demo-broker-0-slave-2") != null);
        Service ext = client.services().inNamespace("prune").withName("demo-broker-0-master-external").get();
        assertThat(ext.getSpec().getType()).isEqualTo("NodePort");
        assertThat(client.services().inNamespace("prune").withName("demo-namesrv-external").get()).isNotNull();
        await().atMost(WAIT).untilAsserted(() -> assertThat(status("prune", "demo").getExternalNameServerAddress())
                .isEqualTo("node1.example.test:30876"));

        edit("prune", "demo", c -> {
            c.getSpec().getBroker().setSlavesPerGroup(1);
            c.getSpec().getExternalAccess().setType(io.rocketcluster.operator.crd.ExternalAccessSpec.Type.None);
        });
        await().atMost(WAIT).until(() -> sts("prune", "demo-broker-0-slave-2") == null);
        await().atMost(WAIT).until(() -> client.services().inNamespace("prune").list().getItems().stream()
                .noneMatch(s -> s.getMetadata().getName().endsWith("-external")));
        assertThat(sts("prune", "demo-broker-0-slave-1")).isNotNull();
        assertThat(client.configMaps().inNamespace("prune").withName("demo-broker-config").get().getData())
                .containsOnlyKeys("broker-0-master.conf", "broker-0-slave-1.conf");
    }

    @Test
    void oneOperatorServesClustersOfTheSameNameInSeveralNamespaces() {
        create("ns-one", "orders", c -> c);
        create("ns-two", "orders", c -> {
            c.getSpec().getBroker().setGroups(2);
            c.getSpec().getBroker().setSlavesPerGroup(0);
            return c;
        });
        await().atMost(WAIT).until(() -> sts("ns-one", "orders-broker-0-slave-1") != null
                && sts("ns-two", "orders-broker-1-master") != null);
        assertThat(sts("ns-two", "orders-broker-0-slave-1")).isNull();
        assertThat(sts("ns-one", "orders-broker-1-master")).isNull();
        String brokerConf = client.configMaps().inNamespace("ns-two").withName("orders-broker-config").get().getData()
                .get("broker-1-master.conf");
        assertThat(brokerConf).contains("namesrvAddr=orders-namesrv-headless.ns-two.svc.cluster.local:9876");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(status("ns-one", "orders").getNameServerAddress()).contains(".ns-one.");
            assertThat(status("ns-two", "orders").getNameServerAddress()).contains(".ns-two.");
        });
    }

    @Test
    void anInvalidSpecIsRefusedWithTheReasonInStatusAndNothingIsCreated() {
        create("invalid", "demo", c -> {
            c.getSpec().getBroker().setBrokerRole(io.rocketcluster.operator.crd.BrokerSpec.BrokerRole.SYNC_MASTER);
            c.getSpec().getBroker().setSlavesPerGroup(0);
            c.getSpec().getBroker().getConfig().put("brokerId", "7");
            return c;
        });
        await().atMost(WAIT).untilAsserted(() -> {
            RocketClusterStatus st = status("invalid", "demo");
            assertThat(condition(st, "Ready").getReason()).isEqualTo("InvalidSpec");
            assertThat(condition(st, "Degraded").getStatus()).isEqualTo("True");
            assertThat(condition(st, "Degraded").getMessage()).contains("SYNC_MASTER", "brokerId");
        });
        assertThat(events("invalid", "InvalidSpec")).isNotEmpty();
        assertThat(client.apps().statefulSets().inNamespace("invalid").list().getItems()).isEmpty();
        assertThat(client.apps().deployments().inNamespace("invalid").list().getItems()).isEmpty();

        edit("invalid", "demo", c -> {
            c.getSpec().getBroker().setSlavesPerGroup(1);
            c.getSpec().getBroker().getConfig().remove("brokerId");
        });
        await().atMost(WAIT).until(() -> sts("invalid", "demo-broker-0-slave-1") != null);
    }

    @Test
    void aBiggerStoreGrowsTheClaimsAndASmallerOneIsRefused() {
        create("store", "demo", c -> {
            c.getSpec().getBroker().setSlavesPerGroup(0);
            return c;
        });
        await().atMost(WAIT).until(() -> sts("store", "demo-broker-0-master") != null);
        // what the StatefulSet controller creates from the volumeClaimTemplate for pod -0
        client.persistentVolumeClaims().inNamespace("store").resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("store-demo-broker-0-master-0").withNamespace("store").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                .addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("10Gi")).endResources().endSpec()
                .build()).create();

        edit("store", "demo", c -> c.getSpec().getBroker().getStorage().setSize("20Gi"));
        await().atMost(WAIT).until(() -> client.persistentVolumeClaims().inNamespace("store")
                .withName("store-demo-broker-0-master-0").get().getSpec().getResources().getRequests()
                .get("storage").toString().equals("20Gi"));
        assertThat(sts("store", "demo-broker-0-master").getSpec().getVolumeClaimTemplates().get(0).getSpec()
                .getResources().getRequests().get("storage").toString()).as("the template is immutable").isEqualTo("10Gi");
        assertThat(events("store", "VolumeExpansion")).isNotEmpty();

        edit("store", "demo", c -> c.getSpec().getBroker().getStorage().setSize("5Gi"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(status("store", "demo").getBrokerGroups().get(0).getMessage())
                .isEqualTo("demo-broker-0-master keeps its 10Gi store volume: volumes cannot shrink"));
    }

    // ---------------------------------------------------------------------------------------------

    private RocketCluster create(String namespace, String name, UnaryOperator<RocketCluster> customize) {
        if (client.namespaces().withName(namespace).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                    .create();
        }
        RocketCluster cr = new RocketCluster();
        cr.getMetadata().setName(name);
        cr.getMetadata().setNamespace(namespace);
        cr.getSpec().setVersion("1.0.0");
        return client.resource(customize.apply(cr)).create();
    }

    private void awaitReadyCluster(String namespace, String name) {
        await().atMost(WAIT).until(() -> sts(namespace, name + "-broker-0-master") != null
                && client.apps().deployments().inNamespace(namespace).withName(name + "-namesrv").get() != null);
        markAllReady(namespace);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(condition(status(namespace, name), "Ready").getStatus()).isEqualTo("True"));
    }

    private String confHash(String namespace, String sts) {
        return sts(namespace, sts).getSpec().getTemplate().getMetadata().getAnnotations().get(Labels.CONFIG_HASH);
    }

    private StatefulSet sts(String namespace, String name) {
        return k8s.statefulSet(namespace, name);
    }

    private RocketClusterStatus status(String namespace, String name) {
        return k8s.status(namespace, name);
    }

    private void edit(String namespace, String name, java.util.function.Consumer<RocketCluster> change) {
        k8s.edit(namespace, name, change);
    }

    private void markAllReady(String namespace) {
        k8s.markAllReady(namespace);
    }

    private List<Event> events(String namespace, String reason) {
        return k8s.events(namespace, reason);
    }

    /** After convergence the operator must not keep writing: count requests over 3 quiet seconds. */
    private void assertSettledClusterIsIdle() {
        int[] last = {k8s.server.getRequestCount()};
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            int now = k8s.server.getRequestCount();
            boolean quiet = now == last[0];
            last[0] = now;
            return quiet;
        });
        int before = k8s.server.getRequestCount();
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(k8s.server.getRequestCount() - before).as("API requests of a settled cluster in 3 s").isZero();
    }
}
