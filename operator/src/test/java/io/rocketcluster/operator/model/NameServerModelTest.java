package io.rocketcluster.operator.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.rocketcluster.operator.crd.ExternalAccessSpec;
import io.rocketcluster.operator.crd.RocketCluster;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.rocketcluster.operator.model.Fixtures.NS;
import static io.rocketcluster.operator.model.Fixtures.cluster;
import static org.assertj.core.api.Assertions.assertThat;

class NameServerModelTest {
    private static final Map<String, String> SELECTOR = Map.of(
            "app.kubernetes.io/name", "rocketcluster",
            "app.kubernetes.io/instance", "demo",
            "app.kubernetes.io/component", "namesrv");

    private static Container container(Deployment d) {
        assertThat(d.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElse(null);
    }

    @Test
    void deploymentHasReplicasDefaultImagePortsAndMatchingSelector() {
        RocketCluster cr = cluster();
        cr.getSpec().getNameServer().setReplicas(3);
        cr.getSpec().setImageRegistry("ghcr.io/acme/");
        cr.getSpec().setVersion("1.4.2");
        Deployment d = NameServerModel.deployment(cr);

        assertThat(d.getMetadata().getName()).isEqualTo("demo-namesrv");
        assertThat(d.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(d.getSpec().getReplicas()).isEqualTo(3);
        assertThat(d.getSpec().getSelector().getMatchLabels()).isEqualTo(SELECTOR);
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(SELECTOR);
        // a rolling update never takes a nameserver away before its replacement is ready
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable()).isEqualTo(new IntOrString(0));

        Container c = container(d);
        assertThat(c.getImage()).isEqualTo("ghcr.io/acme/rocketcluster-namesrv:1.4.2");
        assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(c.getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("remoting", 9876),
                        org.assertj.core.groups.Tuple.tuple("metrics", 10876));
        assertThat(env(c, "RC_EXTERNAL_LISTEN_PORT")).isNull();
    }

    @Test
    void theDefaultTagIsTheOperatorsOwnVersionNotAMovingTag() {
        assertThat(OperatorVersion.get()).matches("\\d+\\.\\d+\\.\\d+.*").isNotEqualTo("latest");
        RocketCluster cr = cluster();
        cr.getSpec().setVersion("2.3.4");
        assertThat(container(NameServerModel.deployment(cr)).getImage()).isEqualTo("rocketcluster-namesrv:2.3.4");
    }

    @Test
    void defaultImageWithoutRegistryAndOverride() {
        RocketCluster cr = cluster();
        assertThat(container(NameServerModel.deployment(cr)).getImage()).isEqualTo("rocketcluster-namesrv:" + OperatorVersion.get());

        cr.getSpec().getNameServer().setImage("registry.local/mq/ns:7");
        cr.getSpec().setImageRegistry("ghcr.io/acme/");
        assertThat(container(NameServerModel.deployment(cr)).getImage()).isEqualTo("registry.local/mq/ns:7");

        cr.getSpec().getNameServer().setImage("  ");
        assertThat(container(NameServerModel.deployment(cr)).getImage()).isEqualTo("ghcr.io/acme/rocketcluster-namesrv:" + OperatorVersion.get());

        cr.getSpec().setImagePullPolicy("Always");
        assertThat(container(NameServerModel.deployment(cr)).getImagePullPolicy()).isEqualTo("Always");
    }

    @Test
    void probesUseTheHealthEndpointsOnTheMetricsPort() {
        Container c = container(NameServerModel.deployment(cluster()));
        Probe ready = c.getReadinessProbe();
        assertThat(ready.getHttpGet().getPath()).isEqualTo("/health/ready");
        assertThat(ready.getHttpGet().getPort()).isEqualTo(new IntOrString(10876));
        Probe live = c.getLivenessProbe();
        assertThat(live.getHttpGet().getPath()).isEqualTo("/health/live");
        assertThat(live.getHttpGet().getPort()).isEqualTo(new IntOrString(10876));
        assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health/live");
        assertThat(c.getStartupProbe().getHttpGet().getPort()).isEqualTo(new IntOrString(10876));
    }

    @Test
    void clusterIpAndHeadlessServicesSelectTheDeploymentsPods() {
        RocketCluster cr = cluster();
        Deployment d = NameServerModel.deployment(cr);
        Service svc = NameServerModel.service(cr);
        Service headless = NameServerModel.headlessService(cr);

        assertThat(svc.getMetadata().getName()).isEqualTo("demo-namesrv");
        assertThat(svc.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(svc.getSpec().getClusterIP()).isNull();
        assertThat(headless.getMetadata().getName()).isEqualTo("demo-namesrv-headless");
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");

        for (Service s : List.of(svc, headless)) {
            assertThat(s.getMetadata().getNamespace()).isEqualTo(NS);
            assertThat(s.getSpec().getSelector()).isEqualTo(d.getSpec().getSelector().getMatchLabels())
                    .isEqualTo(SELECTOR);
            assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(s.getSpec().getSelector());
            assertThat(s.getSpec().getPorts()).hasSize(1);
            ServicePort p = s.getSpec().getPorts().get(0);
            assertThat(p.getPort()).isEqualTo(9876);
            assertThat(p.getTargetPort()).isEqualTo(new IntOrString(9876));
        }
    }

    @Test
    void disruptionBudgetAllowsOneNameserverDown() {
        RocketCluster cr = cluster();
        PodDisruptionBudget pdb = NameServerModel.disruptionBudget(cr);
        assertThat(pdb.getMetadata().getName()).isEqualTo("demo-namesrv");
        assertThat(pdb.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
        assertThat(pdb.getSpec().getMinAvailable()).isNull();
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(SELECTOR);
        assertThat(pdb.getSpec().getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
    }

    @Test
    void withoutExternalAccessThereAreFourObjects() {
        List<HasMetadata> objs = NameServerModel.objects(cluster());
        assertThat(objs).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).containsExactly(
                "Deployment/demo-namesrv", "Service/demo-namesrv", "Service/demo-namesrv-headless",
                "PodDisruptionBudget/demo-namesrv");
    }

    @Test
    void externalAccessAddsTheNodePortServiceAndTheExternalListenPort() {
        RocketCluster cr = cluster();
        cr.getSpec().getExternalAccess().setType(ExternalAccessSpec.Type.NodePort);
        cr.getSpec().getExternalAccess().setAdvertisedHost("mq.example.com");
        cr.getSpec().getExternalAccess().setNameServerNodePort(31876);

        List<HasMetadata> objs = NameServerModel.objects(cr);
        assertThat(objs).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .contains("Service/demo-namesrv-external").hasSize(5);

        Service ext = NameServerModel.externalService(cr);
        assertThat(ext.getSpec().getType()).isEqualTo("NodePort");
        assertThat(ext.getSpec().getSelector()).isEqualTo(SELECTOR);
        ServicePort p = ext.getSpec().getPorts().get(0);
        assertThat(p.getNodePort()).isEqualTo(31876);
        assertThat(p.getTargetPort()).isEqualTo(new IntOrString(19876));

        Container c = container(NameServerModel.deployment(cr));
        assertThat(env(c, "RC_EXTERNAL_LISTEN_PORT")).isEqualTo("19876");
        assertThat(c.getPorts()).extracting(ContainerPort::getContainerPort).contains(19876);
    }
}
