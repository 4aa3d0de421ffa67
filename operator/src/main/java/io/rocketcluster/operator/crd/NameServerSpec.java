package io.rocketcluster.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** The nameserver Deployment. */
public class NameServerSpec {
    @JsonPropertyDescription("Number of nameserver pods; brokers register with every one of them.")
    @Min(1)
    @Default("2")
    private int replicas = 2;

    @JsonPropertyDescription("Full image reference; default <imageRegistry>rocketcluster-namesrv:<version>.")
    private String image;

    @JsonPropertyDescription("CPU/memory of each nameserver container; the heap is half the memory limit (default 512Mi).")
    private ResourceRequirements resources;

    public int getReplicas() { return replicas; }
    public void setReplicas(int v) { this.replicas = v; }
    public String getImage() { return image; }
    public void setImage(String v) { this.image = v; }
    public ResourceRequirements getResources() { return resources; }
    public void setResources(ResourceRequirements v) { this.resources = v; }
}
