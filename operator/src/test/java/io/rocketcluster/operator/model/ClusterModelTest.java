package io.rocketcluster.operator.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.rocketcluster.operator.crd.ExternalAccessSpec;
import io.rocketcluster.operator.crd.RocketCluster;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.rocketcluster.operator.model.Fixtures.NS;
import static io.rocketcluster.operator.model.Fixtures.cluster;
import static org.assertj.core.api.Assertions.assertThat;

class ClusterModelTest {

    private static RocketCluster external(RocketCluster cr) {
        cr.getSpec().getExternalAccess().setType(ExternalAccessSpec.Type.NodePort);
        cr.getSpec().getExternalAccess().setAdvertisedHost("10.0.0.1");
        return cr;
    }

    private static List<String> names(List<? extends HasMetadata> objs) {
        return objs.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }

    @Test
    void sharedObjectsInApplyOrder() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().setGroups(2);
        assertThat(names(ClusterModel.of(cr).shared())).containsExactly(
                "ConfigMap/demo-broker-config",
                "Deployment/demo-namesrv", "Service/demo-namesrv", "Service/demo-namesrv-headless",
                "PodDisruptionBudget/demo-namesrv",
                "Service/demo-broker-0", "PodDisruptionBudget/demo-broker-0",
                "Service/demo-broker-1", "PodDisruptionBudget/demo-broker-1");
    }

    @Test
    void rolloutOrderIsSlavesHighestIdFirstThenTheMaster() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().setGroups(2);
        cr.getSpec().getBroker().setSlavesPerGroup(3);
        ClusterModel m = ClusterModel.of(cr);
        assertThat(m.groups()).extracting(ClusterModel.Group::index).containsExactly(0, 1);
        assertThat(m.groups()).extracting(ClusterModel.Group::brokerName).containsExactly("broker-0", "broker-1");
        assertThat(names(m.groups().get(1).rolloutOrder())).containsExactly(
                "StatefulSet/demo-broker-1-slave-3", "StatefulSet/demo-broker-1-slave-2",
                "StatefulSet/demo-broker-1-slave-1", "StatefulSet/demo-broker-1-master");
        assertThat(m.groups().get(0).master().getMetadata().getName()).isEqualTo("demo-broker-0-master");
        assertThat(m.groups().get(1).master().getMetadata().getName()).isEqualTo("demo-broker-1-master");
    }

    @Test
    void noSlavesMeansTheMasterAlone() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().setSlavesPerGroup(0);
        ClusterModel m = ClusterModel.of(cr);
        assertThat(names(m.groups().get(0).rolloutOrder())).containsExactly("StatefulSet/demo-broker-0-master");
        assertThat(((io.fabric8.kubernetes.api.model.ConfigMap) m.shared().get(0)).getData())
                .containsOnlyKeys("broker-0-master.conf");
    }

    @Test
    void externalAccessAddsOneNodePortServicePerBrokerAndOneForTheNameservers() {
        ClusterModel m = ClusterModel.of(external(cluster()));
        assertThat(names(m.shared())).contains("Service/demo-namesrv-external",
                "Service/demo-broker-0-slave-1-external", "Service/demo-broker-0-master-external");
        assertThat(m.shared()).hasSize(5 + 1 + 2 + 2);
    }

    @Test
    void everyObjectCarriesTheManagedByLabelAndTheNamespace() {
        RocketCluster cr = external(cluster());
        cr.getSpec().getBroker().setGroups(3);
        cr.getSpec().getBroker().setSlavesPerGroup(2);
        List<HasMetadata> all = ClusterModel.of(cr, 4).all();
        // ConfigMap + 5 nameserver objects + 3 x (Service + PDB) + 9 broker NodePort Services + 9 StatefulSets
        assertThat(all).hasSize(1 + 5 + 6 + 9 + 9);
        assertThat(names(all)).doesNotHaveDuplicates();
        for (HasMetadata o : all) {
            assertThat(o.getMetadata().getLabels()).as(o.getMetadata().getName())
                    .containsEntry("app.kubernetes.io/managed-by", "rocketcluster-operator")
                    .containsEntry(Labels.MANAGED_BY_KEY, Labels.MANAGED_BY_VALUE)
                    .containsEntry("rocketcluster.io/cluster", "demo")
                    .containsEntry("app.kubernetes.io/instance", "demo");
            assertThat(o.getMetadata().getNamespace()).as(o.getMetadata().getName()).isEqualTo(NS);
            assertThat(o.getMetadata().getName()).as("DNS-1035 label").matches("[a-z]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(63);
        }
        assertThat(Labels.MANAGED_BY).isEqualTo("app.kubernetes.io/managed-by=rocketcluster-operator");
    }

    @Test
    void brokerObjectsCarryTheirGroupLabelSoThatScaleInFindsThem() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().setGroups(2);
        for (HasMetadata o : ClusterModel.of(cr).all()) {
            String name = o.getMetadata().getName();
            if (name.startsWith("demo-broker-1")) {
                assertThat(o.getMetadata().getLabels()).as(name).containsEntry("rocketcluster.io/broker-group", "broker-1");
            } else if (name.startsWith("demo-broker-0")) {
                assertThat(o.getMetadata().getLabels()).as(name).containsEntry("rocketcluster.io/broker-group", "broker-0");
            } else {
                assertThat(o.getMetadata().getLabels()).as(name).doesNotContainKey("rocketcluster.io/broker-group");
            }
        }
    }

    @Test
    void longestAllowedNameKeepsEveryNameWithinLimits() {
        String name = "a".repeat(Names.MAX_CLUSTER_NAME);
        RocketCluster cr = external(cluster(name));
        cr.getSpec().getBroker().setGroups(64);
        cr.getSpec().getBroker().setSlavesPerGroup(8);
        cr.getSpec().getExternalAccess().setAdvertisedHost("h");
        for (StatefulSet s : ClusterModel.of(cr).groups().get(63).rolloutOrder()) {
            // the controller-revision-hash label value is "<sts>-<up to 10 chars>" and must stay within 63
            assertThat(s.getMetadata().getName().length() + 1 + 10).as(s.getMetadata().getName()).isLessThanOrEqualTo(63);
        }
        assertThat(new Names(cr).externalService(63, 8).length()).isLessThanOrEqualTo(63);
    }
}
