package io.rocketcluster.operator.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.rocketcluster.operator.crd.BrokerSpec;
import io.rocketcluster.operator.crd.RocketCluster;
import io.rocketcluster.operator.crd.RocketClusterSpec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The brokers. Every broker is a one-replica StatefulSet of its own (the master and each slave), so
 * each has a fixed brokerId and broker.conf, a stable DNS name, its own store volume, and the operator
 * decides the order in which they restart (slaves first, then the master).
 */
public final class BrokerModel {
    public static final String COMPONENT = "broker";
    public static final String IMAGE = "rocketcluster-broker";
    public static final String STORE_VOLUME = "store";
    public static final String CONFIG_DIR = "/etc/rocketcluster";

    private BrokerModel() {
    }

    /**
     * One ConfigMap holding every broker's broker.conf, keyed by {@link Names#confKey}, for groups
     * {@code 0..groupCount-1}: groups beyond spec.broker.groups that are still draining keep their files.
     */
    public static ConfigMap configMap(RocketCluster cr, int groupCount) {
        Names n = new Names(cr);
        BrokerSpec b = cr.getSpec().getBroker();
        Map<String, String> data = new LinkedHashMap<>();
        for (int g = 0; g < groupCount; g++) {
            for (int id = 0; id <= b.getSlavesPerGroup(); id++) {
                data.put(Names.confKey(g, id), BrokerConf.render(cr, g, id));
            }
        }
        return new ConfigMapBuilder()
                .withNewMetadata().withName(n.brokerConfig()).withNamespace(n.namespace())
                .withLabels(Labels.of(n.cluster(), Labels.selector(n.cluster(), COMPONENT))).endMetadata()
                .withData(data).build();
    }

    /**
     * The group's headless Service. publishNotReadyAddresses: a broker's DNS name exists from the pod's
     * start, so a recovering master can be reached by its slave and can resolve its own name.
     */
    public static Service groupService(RocketCluster cr, int group) {
        Names n = new Names(cr);
        return new ServiceBuilder()
                .withNewMetadata().withName(n.groupService(group)).withNamespace(n.namespace())
                .withLabels(Labels.of(n.cluster(), Labels.groupSelector(n.cluster(), group))).endMetadata()
                .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true)
                .withSelector(Labels.groupSelector(n.cluster(), group))
                .addNewPort().withName("remoting").withPort(Names.BROKER_PORT).endPort()
                .addNewPort().withName("fast").withPort(Names.BROKER_FAST_PORT).endPort()
                .addNewPort().withName("ha").withPort(Names.BROKER_HA_PORT).endPort()
                .addNewPort().withName("metrics").withPort(Names.BROKER_METRICS_PORT).endPort()
                .endSpec().build();
    }

    /**
     * At most one broker of a group down through voluntary disruptions: never master and slave together.
     * Unready pods may always be evicted, so a broken group never blocks a node drain.
     */
    public static PodDisruptionBudget disruptionBudget(RocketCluster cr, int group) {
        Names n = new Names(cr);
        return new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName(n.groupService(group)).withNamespace(n.namespace())
                .withLabels(Labels.of(n.cluster(), Labels.groupSelector(n.cluster(), group))).endMetadata()
                .withNewSpec().withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(Labels.groupSelector(n.cluster(), group)).endSelector()
                // an unready broker does not count as available anyway: evicting it may not block a node drain
                .withUnhealthyPodEvictionPolicy("AlwaysAllow")
                .endSpec().build();
    }

    /** The broker's StatefulSet: one replica, its broker.conf from the ConfigMap, a store volume claim. */
    public static StatefulSet statefulSet(RocketCluster cr, int group, int brokerId) {
        Names n = new Names(cr);
        RocketClusterSpec spec = cr.getSpec();
        BrokerSpec b = spec.getBroker();
        Map<String, String> selector = Labels.brokerSelector(n.cluster(), group, brokerId);
        ResourceRequirements resources = PodParts.resources(b.getResources(), "2Gi", "500m");
        String confHash = BrokerConf.hash(BrokerConf.render(cr, group, brokerId));
        ContainerBuilder c = new ContainerBuilder()
                .withName("broker")
                .withImage(PodParts.image(spec, b.getImage(), IMAGE))
                .withArgs("-c", CONFIG_DIR + "/" + Names.confKey(group, brokerId))
                .addNewPort().withName("remoting").withContainerPort(Names.BROKER_PORT).endPort()
                .addNewPort().withName("fast").withContainerPort(Names.BROKER_FAST_PORT).endPort()
                .addNewPort().withName("ha").withContainerPort(Names.BROKER_HA_PORT).endPort()
                .addNewPort().withName("metrics").withContainerPort(Names.BROKER_METRICS_PORT).endPort()
                .addNewEnv().withName("JAVA_TOOL_OPTIONS").withValue(Heap.javaToolOptions(resources, 0.5, 0.25)).endEnv()
                .withResources(resources)
                .withReadinessProbe(PodParts.httpProbe("/health/ready", Names.BROKER_METRICS_PORT, 5, 3))
                .withLivenessProbe(PodParts.httpProbe("/health/live", Names.BROKER_METRICS_PORT, 10, 6))
                // store recovery after a crash can take minutes on a big commitlog: 10 minutes to come up
                .withStartupProbe(PodParts.httpProbe("/health/live", Names.BROKER_METRICS_PORT, 5, 120))
                .addNewVolumeMount().withName(STORE_VOLUME).withMountPath("/var/lib/rocketcluster").endVolumeMount()
                .addNewVolumeMount().withName("config").withMountPath(CONFIG_DIR).withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount();
        StatefulSet sts = new StatefulSetBuilder()
                .withNewMetadata().withName(n.statefulSet(group, brokerId)).withNamespace(n.namespace())
                .withLabels(Labels.of(n.cluster(), selector)).endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withServiceName(n.groupService(group))
                .withPodManagementPolicy("Parallel")
                .withNewSelector().withMatchLabels(selector).endSelector()
                .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.of(n.cluster(), selector))
                .withAnnotations(Map.of(Labels.CONFIG_HASH, confHash)).endMetadata()
                .withNewSpec()
                .withContainers(c.build())
                .addNewVolume().withName("config").withNewConfigMap().withName(n.brokerConfig()).endConfigMap().endVolume()
                .addToVolumes(PodParts.tmpVolume())
                // a clean stop flushes and writes the checkpoint; leave it time
                .withTerminationGracePeriodSeconds(60L)
                .endSpec()
                .endTemplate()
                .withVolumeClaimTemplates(storeClaim(b))
                .withNewPersistentVolumeClaimRetentionPolicy()
                .withWhenDeleted(b.getStorage().isDeleteClaim() ? "Delete" : "Retain")
                .withWhenScaled(b.getStorage().isDeleteClaim() ? "Delete" : "Retain")
                .endPersistentVolumeClaimRetentionPolicy()
                .endSpec()
                .build();
        PodParts.apply(spec, sts.getSpec().getTemplate().getSpec());
        Map<String, String> groupLabels = Labels.groupSelector(n.cluster(), group);
        var pod = sts.getSpec().getTemplate().getSpec();
        pod.setAffinity(Placement.withGroupAntiAffinity(pod.getAffinity(), groupLabels));
        pod.setTopologySpreadConstraints(Placement.zoneSpread(groupLabels));
        return sts;
    }

    static PersistentVolumeClaim storeClaim(BrokerSpec b) {
        String storageClass = b.getStorage().getStorageClassName();
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(STORE_VOLUME).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce")
                .withStorageClassName(storageClass == null || storageClass.isBlank() ? null : storageClass)
                .withNewResources().addToRequests("storage", new Quantity(b.getStorage().getSize())).endResources()
                .endSpec().build();
    }

    /** NodePort Service of one broker (client and fast ports) when external access is on. */
    public static Optional<Service> externalService(RocketCluster cr, int group, int brokerId) {
        Names n = new Names(cr);
        return ExternalPorts.forBroker(cr, group, brokerId).map(p -> new ServiceBuilder()
                .withNewMetadata().withName(n.externalService(group, brokerId)).withNamespace(n.namespace())
                .withLabels(Labels.of(n.cluster(), Labels.brokerSelector(n.cluster(), group, brokerId))).endMetadata()
                .withNewSpec().withType("NodePort")
                .withSelector(Labels.brokerSelector(n.cluster(), group, brokerId))
                .addNewPort().withName("remoting").withPort(Names.BROKER_PORT)
                .withTargetPort(new IntOrString(Names.BROKER_PORT)).withNodePort(p.client()).endPort()
                .addNewPort().withName("fast").withPort(Names.BROKER_FAST_PORT)
                .withTargetPort(new IntOrString(Names.BROKER_FAST_PORT)).withNodePort(p.fast()).endPort()
                .endSpec().build());
    }
}
