package io.rocketcluster.operator.model;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.rocketcluster.operator.crd.ExternalAccessSpec;
import io.rocketcluster.operator.crd.RocketCluster;
import io.rocketcluster.operator.crd.RocketClusterSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The nameservers: a Deployment, a ClusterIP Service for clients, a headless one for brokers, a PDB. */
public final class NameServerModel {
    public static final String COMPONENT = "namesrv";
    public static final String IMAGE = "rocketcluster-namesrv";

    private NameServerModel() {
    }

    public static List<HasMetadata> objects(RocketCluster cr) {
        List<HasMetadata> out = new ArrayList<>();
        out.add(deployment(cr));
        out.add(service(cr));
        out.add(headlessService(cr));
        out.add(disruptionBudget(cr));
        if (cr.getSpec().getExternalAccess().enabled()) {
            out.add(externalService(cr));
        }
        return out;
    }

    public static Deployment deployment(RocketCluster cr) {
        Names n = new Names(cr);
        RocketClusterSpec spec = cr.getSpec();
        Map<String, String> selector = Labels.selector(n.cluster(), COMPONENT);
        ResourceRequirements resources = PodParts.resources(spec.getNameServer().getResources(), "512Mi", "250m");
        ContainerBuilder c = new ContainerBuilder()
                .withName("namesrv")
                .withImage(PodParts.image(spec, spec.getNameServer().getImage(), IMAGE))
                .addNewPort().withName("remoting").withContainerPort(Names.NAMESRV_PORT).endPort()
                .addNewPort().withName("metrics").withContainerPort(Names.NAMESRV_METRICS_PORT).endPort()
                .addNewEnv().withName("JAVA_TOOL_OPTIONS").withValue(Heap.javaToolOptions(resources, 0.5, 0)).endEnv()
                .withResources(resources)
                .withReadinessProbe(readiness())
                .withLivenessProbe(PodParts.httpProbe("/health/live", Names.NAMESRV_METRICS_PORT, 10, 6))
                .withStartupProbe(PodParts.httpProbe("/health/live", Names.NAMESRV_METRICS_PORT, 2, 60))
                .addNewVolumeMount().withName("data").withMountPath("/var/lib/rocketcluster").endVolumeMount()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount();
        if (spec.getExternalAccess().enabled()) {
            c.addNewPort().withName("external").withContainerPort(Names.NAMESRV_EXTERNAL_PORT).endPort()
                    .addNewEnv().withName("RC_EXTERNAL_LISTEN_PORT")
                    .withValue(Integer.toString(Names.NAMESRV_EXTERNAL_PORT)).endEnv();
        }
        Deployment d = new DeploymentBuilder()
                .withNewMetadata().withName(n.nameServer()).withNamespace(n.namespace())
                .withLabels(Labels.of(n.cluster(), selector)).endMetadata()
                .withNewSpec()
                .withReplicas(spec.getNameServer().getReplicas())
                .withNewSelector().withMatchLabels(selector).endSelector()
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString(1)).endRollingUpdate().endStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.of(n.cluster(), selector)).endMetadata()
                .withNewSpec()
                .withContainers(c.build())
                .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
                .addToVolumes(PodParts.tmpVolume())
                .withTerminationGracePeriodSeconds(30L)
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        PodParts.apply(spec, d.getSpec().getTemplate().getSpec());
        return d;
    }

    /**
     * Ready for clients only once every broker has had a registration round (30 s, plus the brokers'
     * 10 s DNS cache) with this pod: before that its routes would be missing brokers.
     */
    static Probe readiness() {
        Probe p = PodParts.httpProbe("/health/ready", Names.NAMESRV_METRICS_PORT, 5, 3);
        p.setInitialDelaySeconds(BROKER_REGISTRATION_WINDOW_SECONDS);
        return p;
    }

    /** Brokers register every 30 s and cache DNS for 10 s. */
    static final int BROKER_REGISTRATION_WINDOW_SECONDS = 45;

    /** ClusterIP Service: the namesrvAddr clients use inside the cluster. */
    public static Service service(RocketCluster cr) {
        Names n = new Names(cr);
        return new ServiceBuilder()
                .withNewMetadata().withName(n.nameServer()).withNamespace(n.namespace())
                .withLabels(Labels.of(n.cluster(), Labels.selector(n.cluster(), COMPONENT))).endMetadata()
                .withNewSpec().withType("ClusterIP")
                .withSelector(Labels.selector(n.cluster(), COMPONENT))
                .addNewPort().withName("remoting").withPort(Names.NAMESRV_PORT)
                .withTargetPort(new IntOrString(Names.NAMESRV_PORT)).endPort()
                .endSpec().build();
    }

    /**
     * Headless Service: resolves to every nameserver pod, ready or not, and the brokers register with
     * each; so a new nameserver has learnt every broker before its readiness probe lets clients in.
     */
    public static Service headlessService(RocketCluster cr) {
        Names n = new Names(cr);
        return new ServiceBuilder()
                .withNewMetadata().withName(n.nameServerHeadless()).withNamespace(n.namespace())
                .withLabels(Labels.of(n.cluster(), Labels.selector(n.cluster(), COMPONENT))).endMetadata()
                .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true)
                .withSelector(Labels.selector(n.cluster(), COMPONENT))
                .addNewPort().withName("remoting").withPort(Names.NAMESRV_PORT)
                .withTargetPort(new IntOrString(Names.NAMESRV_PORT)).endPort()
                .endSpec().build();
    }

    /** NodePort Service to the nameservers' external port (routes carry the brokers' external addresses). */
    public static Service externalService(RocketCluster cr) {
        Names n = new Names(cr);
        ExternalAccessSpec ext = cr.getSpec().getExternalAccess();
        return new ServiceBuilder()
                .withNewMetadata().withName(n.nameServerExternal()).withNamespace(n.namespace())
                .withLabels(Labels.of(n.cluster(), Labels.selector(n.cluster(), COMPONENT))).endMetadata()
                .withNewSpec().withType("NodePort")
                .withSelector(Labels.selector(n.cluster(), COMPONENT))
                .addNewPort().withName("remoting").withPort(Names.NAMESRV_PORT)
                .withTargetPort(new IntOrString(Names.NAMESRV_EXTERNAL_PORT))
                .withNodePort(ext.getNameServerNodePort()).endPort()
                .endSpec().build();
    }

    /** At most one nameserver pod down through voluntary disruptions (drains). */
    public static PodDisruptionBudget disruptionBudget(RocketCluster cr) {
        Names n = new Names(cr);
        return new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName(n.nameServer()).withNamespace(n.namespace())
                .withLabels(Labels.of(n.cluster(), Labels.selector(n.cluster(), COMPONENT))).endMetadata()
                .withNewSpec().withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(Labels.selector(n.cluster(), COMPONENT)).endSelector()
                .withUnhealthyPodEvictionPolicy("AlwaysAllow")
                .endSpec().build();
    }
}
