package io.rocketcluster.operator.model;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.rocketcluster.operator.crd.ExternalAccessSpec;
import io.rocketcluster.operator.crd.RocketCluster;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static io.rocketcluster.operator.model.Fixtures.NS;
import static io.rocketcluster.operator.model.Fixtures.cluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class BrokerModelTest {

    private static Map<String, String> groupSelector(String group) {
        return Map.of("app.kubernetes.io/name", "rocketcluster", "app.kubernetes.io/instance", "demo",
                "app.kubernetes.io/component", "broker", "rocketcluster.io/broker-group", group);
    }

    private static Container container(StatefulSet s) {
        assertThat(s.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
        return s.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void groupServiceIsHeadlessPublishesNotReadyAddressesAndSelectsTheGroup() {
        Service svc = BrokerModel.groupService(cluster(), 1);
        assertThat(svc.getMetadata().getName()).isEqualTo("demo-broker-1");
        assertThat(svc.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(svc.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(svc.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(svc.getSpec().getSelector()).isEqualTo(groupSelector("broker-1"));
        assertThat(svc.getSpec().getPorts()).extracting(ServicePort::getName, ServicePort::getPort).containsExactly(
                tuple("remoting", 10911), tuple("fast", 10909), tuple("ha", 10912), tuple("metrics", 10915));
    }

    @Test
    void groupDisruptionBudgetAllowsOneBrokerOfTheGroupDown() {
        PodDisruptionBudget pdb = BrokerModel.disruptionBudget(cluster(), 2);
        assertThat(pdb.getMetadata().getName()).isEqualTo("demo-broker-2");
        assertThat(pdb.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(groupSelector("broker-2"));
        assertThat(pdb.getSpec().getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
    }

    @Test
    void brokersOfAGroupPreferDifferentNodesAndZones() {
        PodSpec pod = BrokerModel.statefulSet(cluster(), 1, 1).getSpec().getTemplate().getSpec();
        WeightedPodAffinityTerm term = pod.getAffinity().getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution().get(0);
        assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
        assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels()).isEqualTo(groupSelector("broker-1"));
        assertThat(pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())
                .as("a preference: a one-node cluster still runs every broker").isNullOrEmpty();
        assertThat(pod.getTopologySpreadConstraints()).singleElement().satisfies(t -> {
            assertThat(t.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone");
            assertThat(t.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
            assertThat(t.getMaxSkew()).isEqualTo(1);
            assertThat(t.getLabelSelector().getMatchLabels()).isEqualTo(groupSelector("broker-1"));
        });
    }

    @Test
    void theUsersAffinityIsKeptAndTheirPodAntiAffinityWins() {
        RocketCluster cr = cluster();
        cr.getSpec().getScheduling().setAffinity(new AffinityBuilder().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm().addNewMatchExpression()
                .withKey("disk").withOperator("In").withValues("ssd").endMatchExpression().endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build());
        Affinity merged = BrokerModel.statefulSet(cr, 0, 0).getSpec().getTemplate().getSpec().getAffinity();
        assertThat(merged.getNodeAffinity()).isEqualTo(cr.getSpec().getScheduling().getAffinity().getNodeAffinity());
        assertThat(merged.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()).hasSize(1);
        assertThat(cr.getSpec().getScheduling().getAffinity().getPodAntiAffinity()).as("the spec is not changed").isNull();

        Affinity own = new AffinityBuilder().withNewPodAntiAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withTopologyKey("kubernetes.io/hostname").withNewLabelSelector().addToMatchLabels("app", "x").endLabelSelector()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().build();
        cr.getSpec().getScheduling().setAffinity(own);
        assertThat(BrokerModel.statefulSet(cr, 0, 0).getSpec().getTemplate().getSpec().getAffinity()).isEqualTo(own);
    }

    @Test
    void storeClaimsAreKeptUnlessDeleteClaimIsSet() {
        RocketCluster cr = cluster();
        var kept = BrokerModel.statefulSet(cr, 0, 1).getSpec().getPersistentVolumeClaimRetentionPolicy();
        assertThat(kept.getWhenDeleted()).isEqualTo("Retain");
        assertThat(kept.getWhenScaled()).isEqualTo("Retain");
        cr.getSpec().getBroker().getStorage().setDeleteClaim(true);
        var deleted = BrokerModel.statefulSet(cr, 0, 1).getSpec().getPersistentVolumeClaimRetentionPolicy();
        assertThat(deleted.getWhenDeleted()).isEqualTo("Delete");
        assertThat(deleted.getWhenScaled()).isEqualTo("Delete");
    }

    @Test
    void imagePullSecretsReachEveryPod() {
        RocketCluster cr = cluster();
        assertThat(BrokerModel.statefulSet(cr, 0, 0).getSpec().getTemplate().getSpec().getImagePullSecrets()).isNullOrEmpty();
        cr.getSpec().setImagePullSecrets(java.util.List.of(new LocalObjectReference("registry-creds")));
        assertThat(BrokerModel.statefulSet(cr, 0, 0).getSpec().getTemplate().getSpec().getImagePullSecrets())
                .extracting(LocalObjectReference::getName).containsExactly("registry-creds");
        assertThat(NameServerModel.deployment(cr).getSpec().getTemplate().getSpec().getImagePullSecrets())
                .extracting(LocalObjectReference::getName).containsExactly("registry-creds");
    }

    @Test
    void masterAndSlaveStatefulSets() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().setGroups(2);
        cr.getSpec().getBroker().setSlavesPerGroup(2);
        Service groupSvc = BrokerModel.groupService(cr, 1);

        StatefulSet master = BrokerModel.statefulSet(cr, 1, 0);
        StatefulSet slave = BrokerModel.statefulSet(cr, 1, 2);
        assertThat(master.getMetadata().getName()).isEqualTo("demo-broker-1-master");
        assertThat(slave.getMetadata().getName()).isEqualTo("demo-broker-1-slave-2");

        for (StatefulSet s : new StatefulSet[]{master, slave}) {
            assertThat(s.getMetadata().getNamespace()).isEqualTo(NS);
            assertThat(s.getSpec().getReplicas()).isEqualTo(1);
            assertThat(s.getSpec().getServiceName()).isEqualTo(groupSvc.getMetadata().getName());
            Map<String, String> sel = s.getSpec().getSelector().getMatchLabels();
            assertThat(s.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(sel);
            // the group Service and PDB select this pod too
            assertThat(sel).containsAllEntriesOf(groupSvc.getSpec().getSelector());
            assertThat(s.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(groupSvc.getSpec().getSelector());
            assertThat(container(s).getImage()).isEqualTo("rocketcluster-broker:" + OperatorVersion.get());
        }
        assertThat(master.getSpec().getSelector().getMatchLabels()).containsEntry("rocketcluster.io/broker-id", "0");
        assertThat(slave.getSpec().getSelector().getMatchLabels()).containsEntry("rocketcluster.io/broker-id", "2");
        // master and slave must not select each other's pods
        assertThat(master.getSpec().getSelector().getMatchLabels()).isNotEqualTo(slave.getSpec().getSelector().getMatchLabels());

        assertThat(container(master).getArgs()).containsExactly("-c", "/etc/rocketcluster/broker-1-master.conf");
        assertThat(container(slave).getArgs()).containsExactly("-c", "/etc/rocketcluster/broker-1-slave-2.conf");
    }

    @Test
    void brokerImageOverrideAndRegistry() {
        RocketCluster cr = cluster();
        cr.getSpec().setImageRegistry("ghcr.io/acme/");
        cr.getSpec().setVersion("2.0.0");
        assertThat(container(BrokerModel.statefulSet(cr, 0, 0)).getImage()).isEqualTo("ghcr.io/acme/rocketcluster-broker:2.0.0");
        cr.getSpec().getBroker().setImage("mirror/broker@sha256:abc");
        assertThat(container(BrokerModel.statefulSet(cr, 0, 1)).getImage()).isEqualTo("mirror/broker@sha256:abc");
    }

    @Test
    void brokerProbesUseTheMetricsPort() {
        Container c = container(BrokerModel.statefulSet(cluster(), 0, 0));
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
        assertThat(c.getReadinessProbe().getHttpGet().getPort()).isEqualTo(new IntOrString(10915));
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
        assertThat(c.getLivenessProbe().getHttpGet().getPort()).isEqualTo(new IntOrString(10915));
    }

    @Test
    void storeVolumeClaimTemplateWithSizeAndStorageClass() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().getStorage().setSize("20Gi");
        cr.getSpec().getBroker().getStorage().setStorageClassName("fast-ssd");
        StatefulSet s = BrokerModel.statefulSet(cr, 0, 1);

        assertThat(s.getSpec().getVolumeClaimTemplates()).hasSize(1);
        PersistentVolumeClaim pvc = s.getSpec().getVolumeClaimTemplates().get(0);
        assertThat(pvc.getMetadata().getName()).isEqualTo("store");
        assertThat(pvc.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("20Gi"));
        assertThat(pvc.getSpec().getStorageClassName()).isEqualTo("fast-ssd");
        assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");

        VolumeMount store = container(s).getVolumeMounts().stream().filter(m -> m.getName().equals("store")).findFirst().orElseThrow();
        assertThat(store.getMountPath()).isEqualTo("/var/lib/rocketcluster");
        // the store root the broker.conf names is on that volume
        assertThat(BrokerConf.STORE_ROOT).startsWith(store.getMountPath() + "/");

        VolumeMount config = container(s).getVolumeMounts().stream().filter(m -> m.getName().equals("config")).findFirst().orElseThrow();
        assertThat(config.getMountPath()).isEqualTo("/etc/rocketcluster");
        assertThat(config.getReadOnly()).isTrue();
        assertThat(s.getSpec().getTemplate().getSpec().getVolumes()).filteredOn(v -> v.getName().equals("config"))
                .singleElement().satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("demo-broker-config"));
    }

    @Test
    void noStorageClassWhenBlankOrUnset() {
        RocketCluster cr = cluster();
        assertThat(BrokerModel.statefulSet(cr, 0, 0).getSpec().getVolumeClaimTemplates().get(0).getSpec()
                .getStorageClassName()).isNull();
        assertThat(BrokerModel.statefulSet(cr, 0, 0).getSpec().getVolumeClaimTemplates().get(0).getSpec()
                .getResources().getRequests()).containsEntry("storage", new Quantity("10Gi"));
        cr.getSpec().getBroker().getStorage().setStorageClassName("   ");
        assertThat(BrokerModel.statefulSet(cr, 0, 0).getSpec().getVolumeClaimTemplates().get(0).getSpec()
                .getStorageClassName()).isNull();
        cr.getSpec().getBroker().getStorage().setStorageClassName("");
        assertThat(BrokerModel.statefulSet(cr, 0, 0).getSpec().getVolumeClaimTemplates().get(0).getSpec()
                .getStorageClassName()).isNull();
    }

    @Test
    void externalServicePerBrokerOnlyWithExternalAccess() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().setGroups(2);
        assertThat(BrokerModel.externalService(cr, 0, 0)).isEmpty();

        cr.getSpec().getExternalAccess().setType(ExternalAccessSpec.Type.NodePort);
        cr.getSpec().getExternalAccess().setAdvertisedHost("mq.example.com");
        cr.getSpec().getExternalAccess().setBrokerNodePortBase(31000);
        // broker k = group * 9 + id: group 1's slave 1 is k = 10, fast 31000 + 30, client 31000 + 32
        Optional<Service> ext = BrokerModel.externalService(cr, 1, 1);
        assertThat(ext).isPresent();
        Service s = ext.get();
        assertThat(s.getMetadata().getName()).isEqualTo("demo-broker-1-slave-1-external");
        assertThat(s.getSpec().getType()).isEqualTo("NodePort");
        assertThat(s.getSpec().getSelector()).containsEntry("rocketcluster.io/broker-group", "broker-1")
                .containsEntry("rocketcluster.io/broker-id", "1");
        assertThat(s.getSpec().getPorts()).extracting(ServicePort::getName, ServicePort::getPort, ServicePort::getNodePort)
                .containsExactly(tuple("remoting", 10911, 31032), tuple("fast", 10909, 31030));
    }
}
