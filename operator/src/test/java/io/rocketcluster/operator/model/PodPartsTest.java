package io.rocketcluster.operator.model;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.rocketcluster.operator.crd.RocketCluster;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.rocketcluster.operator.model.Fixtures.cluster;
import static io.rocketcluster.operator.model.Fixtures.memoryLimit;
import static io.rocketcluster.operator.model.Fixtures.memoryRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Heap sizing, security settings and scheduling shared by every pod template. */
class PodPartsTest {

    private static Container broker(RocketCluster cr) {
        return BrokerModel.statefulSet(cr, 0, 0).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Container namesrv(RocketCluster cr) {
        return NameServerModel.deployment(cr).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static String javaToolOptions(Container c) {
        return c.getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).map(EnvVar::getValue)
                .findFirst().orElseThrow();
    }

    /** Every pod spec the model produces: the nameserver Deployment's and each broker StatefulSet's. */
    private static List<PodSpec> podSpecs(RocketCluster cr) {
        List<PodSpec> out = new ArrayList<>();
        out.add(NameServerModel.deployment(cr).getSpec().getTemplate().getSpec());
        ClusterModel.of(cr).groups().forEach(g -> g.rolloutOrder().forEach(s -> out.add(s.getSpec().getTemplate().getSpec())));
        return out;
    }

    // ---- heap ----

    @Test
    void brokerHeapIsHalfTheLimitAndDirectMemoryAQuarter() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().setResources(memoryLimit("2Gi"));
        assertThat(javaToolOptions(broker(cr))).isEqualTo("-Xms1024m -Xmx1024m -XX:MaxDirectMemorySize=512m");

        cr.getSpec().getBroker().setResources(memoryLimit("8Gi"));
        assertThat(javaToolOptions(broker(cr))).isEqualTo("-Xms4096m -Xmx4096m -XX:MaxDirectMemorySize=2048m");
    }

    @Test
    void nameserverHeapIsHalfTheLimitWithoutDirectMemoryCap() {
        RocketCluster cr = cluster();
        cr.getSpec().getNameServer().setResources(memoryLimit("512Mi"));
        assertThat(javaToolOptions(namesrv(cr))).isEqualTo("-Xms256m -Xmx256m");
        cr.getSpec().getNameServer().setResources(memoryLimit("1Gi"));
        assertThat(javaToolOptions(namesrv(cr))).isEqualTo("-Xms512m -Xmx512m");
    }

    @Test
    void defaultsWithoutResources() {
        RocketCluster cr = cluster();
        Container b = broker(cr);
        assertThat(javaToolOptions(b)).isEqualTo("-Xms1024m -Xmx1024m -XX:MaxDirectMemorySize=512m");
        assertThat(b.getResources().getLimits()).containsEntry("memory", new Quantity("2Gi"));
        assertThat(b.getResources().getRequests()).containsEntry("memory", new Quantity("2Gi"))
                .containsEntry("cpu", new Quantity("500m"));

        Container n = namesrv(cr);
        assertThat(javaToolOptions(n)).isEqualTo("-Xms256m -Xmx256m");
        assertThat(n.getResources().getLimits()).containsEntry("memory", new Quantity("512Mi"));
        assertThat(n.getResources().getRequests()).containsEntry("memory", new Quantity("512Mi"))
                .containsEntry("cpu", new Quantity("250m"));
    }

    @Test
    void requestedMemoryIsUsedWhenThereIsNoLimit() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().setResources(memoryRequest("4Gi"));
        Container b = broker(cr);
        assertThat(javaToolOptions(b)).isEqualTo("-Xms2048m -Xmx2048m -XX:MaxDirectMemorySize=1024m");
        assertThat(b.getResources().getLimits()).containsEntry("memory", new Quantity("4Gi"));
        assertThat(b.getResources().getRequests()).containsEntry("memory", new Quantity("4Gi"));

        cr.getSpec().getNameServer().setResources(memoryRequest("768Mi"));
        assertThat(javaToolOptions(namesrv(cr))).isEqualTo("-Xms384m -Xmx384m");
    }

    @Test
    void theLimitWinsOverTheRequestAndUserCpuIsKept() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().setResources(new ResourceRequirementsBuilder()
                .addToRequests("memory", new Quantity("1Gi")).addToRequests("cpu", new Quantity("2"))
                .addToLimits("memory", new Quantity("3Gi")).build());
        Container b = broker(cr);
        assertThat(javaToolOptions(b)).isEqualTo("-Xms1536m -Xmx1536m -XX:MaxDirectMemorySize=768m");
        assertThat(b.getResources().getRequests()).containsEntry("memory", new Quantity("1Gi"))
                .containsEntry("cpu", new Quantity("2"));
        assertThat(b.getResources().getLimits()).containsEntry("memory", new Quantity("3Gi"));
    }

    @Test
    void theDefaultCpuRequestNeverExceedsAUserCpuLimit() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().setResources(new ResourceRequirementsBuilder()
                .addToLimits("cpu", new Quantity("200m")).addToLimits("memory", new Quantity("1Gi")).build());
        assertThat(broker(cr).getResources().getRequests().get("cpu")).isEqualTo(new Quantity("200m"));
        cr.getSpec().getBroker().setResources(new ResourceRequirementsBuilder()
                .addToLimits("cpu", new Quantity("2")).build());
        assertThat(broker(cr).getResources().getRequests().get("cpu")).isEqualTo(new Quantity("500m"));
    }

    @Test
    void heapHasAFloorAndNeedsSomeMemoryFigure() {
        assertThat(Heap.javaToolOptions(memoryLimit("64Mi"), 0.5, 0.25))
                .isEqualTo("-Xms64m -Xmx64m -XX:MaxDirectMemorySize=64m");
        assertThat(Heap.javaToolOptions(memoryLimit("1G"), 0.5, 0)).isEqualTo("-Xms476m -Xmx476m");
        assertThatThrownBy(() -> Heap.javaToolOptions(new ResourceRequirementsBuilder().build(), 0.5, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- security ----

    @Test
    void everyPodRunsAsNonRootWithAReadOnlyRootFilesystem() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().setGroups(2);
        List<PodSpec> pods = podSpecs(cr);
        assertThat(pods).hasSize(5);
        for (PodSpec pod : pods) {
            PodSecurityContext psc = pod.getSecurityContext();
            assertThat(psc.getRunAsNonRoot()).isTrue();
            assertThat(psc.getRunAsUser()).isEqualTo(1000L);
            assertThat(psc.getFsGroup()).isEqualTo(1000L);
            assertThat(psc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

            Volume tmp = pod.getVolumes().stream().filter(v -> v.getName().equals("tmp")).findFirst().orElseThrow();
            assertThat(tmp.getEmptyDir()).isNotNull();
            for (Container c : pod.getContainers()) {
                SecurityContext sc = c.getSecurityContext();
                assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
                assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
                assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
                assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
                assertThat(c.getVolumeMounts()).anySatisfy(m -> {
                    assertThat(m.getName()).isEqualTo("tmp");
                    assertThat(m.getMountPath()).isEqualTo("/tmp");
                });
                // everything else the JVM writes goes to /var/lib/rocketcluster (a volume)
                assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/var/lib/rocketcluster"));
            }
        }
    }

    // ---- scheduling ----

    @Test
    void schedulingIsCopiedToEveryPodTemplate() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().setGroups(2);
        cr.getSpec().getBroker().setSlavesPerGroup(2);
        Toleration t = new TolerationBuilder().withKey("dedicated").withOperator("Equal").withValue("mq")
                .withEffect("NoSchedule").build();
        cr.getSpec().getScheduling().setTolerations(List.of(t));
        cr.getSpec().getScheduling().setNodeSelector(Map.of("disktype", "ssd"));
        cr.getSpec().getScheduling().setAffinity(new AffinityBuilder().withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(100)
                .withNewPodAffinityTerm().withTopologyKey("kubernetes.io/hostname")
                .withNewLabelSelector().addToMatchLabels("app.kubernetes.io/instance", "demo").endLabelSelector()
                .endPodAffinityTerm().endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity().build());

        List<PodSpec> pods = podSpecs(cr);
        assertThat(pods).hasSize(7);
        for (PodSpec pod : pods) {
            assertThat(pod.getTolerations()).containsExactly(t);
            assertThat(pod.getNodeSelector()).isEqualTo(Map.of("disktype", "ssd"));
            assertThat(pod.getAffinity()).isEqualTo(cr.getSpec().getScheduling().getAffinity());
            assertThat(pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
                    .singleElement().satisfies(w -> assertThat(w.getWeight()).isEqualTo(100));
        }
    }

    @Test
    void byDefaultNoConstraintsButAPreferenceToSpreadEachBrokerGroup() {
        for (PodSpec pod : podSpecs(cluster())) {
            assertThat(pod.getTolerations()).isNullOrEmpty();
            assertThat(pod.getNodeSelector()).isNullOrEmpty();
            if (pod.getContainers().get(0).getName().equals("broker")) {
                assertThat(pod.getAffinity().getNodeAffinity()).isNull();
                assertThat(pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())
                        .isNullOrEmpty();
                assertThat(pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
                        .hasSize(1);
            } else {
                assertThat(pod.getAffinity()).isNull();
            }
        }
    }

    @Test
    void brokerPodsGetTimeToFlushOnStop() {
        StatefulSet s = BrokerModel.statefulSet(cluster(), 0, 0);
        assertThat(s.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(60L);
    }
}
