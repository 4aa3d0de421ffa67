package io.rocketcluster.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A RocketMQ-compatible cluster: nameservers plus broker groups (one master and its slaves each).
 * The CRD under crds/ is generated from this class and the spec/status classes at build time.
 *
 * <p>Short names: {@code rc} as asked for, but kubectl resolves {@code rc} to ReplicationControllers
 * first (core API group wins), so {@code rkc} is the one that works; {@code kubectl get rocketclusters}
 * always does.
 */
@Group(RocketCluster.GROUP)
@Version(RocketCluster.VERSION)
@Kind("RocketCluster")
@Plural("rocketclusters")
@ShortNames({"rc", "rkc"})
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Groups", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.readyGroups", getDescription = "broker groups ready / desired")
@AdditionalPrinterColumn(name = "NameServer", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.nameServerAddress")
@AdditionalPrinterColumn(name = "Version", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".spec.version")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class RocketCluster extends CustomResource<RocketClusterSpec, RocketClusterStatus> implements Namespaced {
    public static final String GROUP = "rocketcluster.io";
    public static final String VERSION = "v1alpha1";

    @Override
    protected RocketClusterSpec initSpec() {
        return new RocketClusterSpec();
    }
}
