package io.rocketcluster.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.LocalObjectReference;

import java.util.ArrayList;
import java.util.List;

/** What the user asks for. Every field has a default, so {@code spec: {}} is a working cluster. */
public class RocketClusterSpec {
    @JsonPropertyDescription("Tag of the rocketcluster-namesrv and rocketcluster-broker images (unless a component sets its own image); default: the operator's own version.")
    private String version;

    @JsonPropertyDescription("Registry/repository prefix of the image names, e.g. ghcr.io/acme/ (empty: local names).")
    private String imageRegistry = "";

    @JsonPropertyDescription("imagePullPolicy of every container.")
    @Default("IfNotPresent")
    @Pattern("^(Always|IfNotPresent|Never)$")
    private String imagePullPolicy = "IfNotPresent";

    @JsonPropertyDescription("Secrets with registry credentials for pulling the images (names in the cluster's namespace).")
    private List<LocalObjectReference> imagePullSecrets = new ArrayList<>();

    @JsonPropertyDescription("The cluster's DNS domain, used in the stable addresses brokers advertise.")
    @Default("cluster.local")
    private String clusterDomain = "cluster.local";

    private NameServerSpec nameServer = new NameServerSpec();
    private BrokerSpec broker = new BrokerSpec();
    private SchedulingSpec scheduling = new SchedulingSpec();
    private ExternalAccessSpec externalAccess = new ExternalAccessSpec();

    public String getVersion() { return version; }
    public void setVersion(String v) { this.version = v; }
    public String getImageRegistry() { return imageRegistry; }
    public void setImageRegistry(String v) { this.imageRegistry = v; }
    public String getImagePullPolicy() { return imagePullPolicy; }
    public void setImagePullPolicy(String v) { this.imagePullPolicy = v; }
    public List<LocalObjectReference> getImagePullSecrets() { return imagePullSecrets; }
    public void setImagePullSecrets(List<LocalObjectReference> v) { this.imagePullSecrets = v; }
    public String getClusterDomain() { return clusterDomain; }
    public void setClusterDomain(String v) { this.clusterDomain = v; }
    public NameServerSpec getNameServer() { return nameServer; }
    public void setNameServer(NameServerSpec v) { this.nameServer = v; }
    public BrokerSpec getBroker() { return broker; }
    public void setBroker(BrokerSpec v) { this.broker = v; }
    public SchedulingSpec getScheduling() { return scheduling; }
    public void setScheduling(SchedulingSpec v) { this.scheduling = v; }
    public ExternalAccessSpec getExternalAccess() { return externalAccess; }
    public void setExternalAccess(ExternalAccessSpec v) { this.externalAccess = v; }
}
