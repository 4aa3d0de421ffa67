package io.rocketcluster.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Access from outside the Kubernetes cluster through NodePorts. Each nameserver answers on its external
 * port with the brokers' external addresses ({@code advertisedHost:nodePort}); in-cluster clients keep
 * the stable DNS names.
 */
public class ExternalAccessSpec {
    @JsonPropertyDescription("None (in-cluster clients only) or NodePort.")
    @Default("None")
    private Type type = Type.None;

    @JsonPropertyDescription("Host or IP external clients reach the nodes at (required for NodePort).")
    private String advertisedHost;

    @JsonPropertyDescription("NodePort of the nameservers' external port.")
    @Min(30000)
    @Max(32767)
    @Default("30876")
    private int nameServerNodePort = 30876;

    @JsonPropertyDescription("First NodePort of the brokers: broker k = group*9 + brokerId gets base+3k (fast/VIP port) and base+3k+2 (client port); 27 ports per group.")
    @Min(30000)
    @Max(32767)
    @Default("30900")
    private int brokerNodePortBase = 30900;

    public Type getType() { return type; }
    public void setType(Type v) { this.type = v; }
    public String getAdvertisedHost() { return advertisedHost; }
    public void setAdvertisedHost(String v) { this.advertisedHost = v; }
    public int getNameServerNodePort() { return nameServerNodePort; }
    public void setNameServerNodePort(int v) { this.nameServerNodePort = v; }
    public int getBrokerNodePortBase() { return brokerNodePortBase; }
    public void setBrokerNodePortBase(int v) { this.brokerNodePortBase = v; }

    public boolean enabled() {
        return type == Type.NodePort;
    }

    /** How the cluster is reached from outside. */
    public enum Type { None, NodePort }
}
