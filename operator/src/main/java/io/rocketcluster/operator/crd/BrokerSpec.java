package io.rocketcluster.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.util.LinkedHashMap;
import java.util.Map;

/** The broker groups: each is one master StatefulSet and one StatefulSet per slave. */
public class BrokerSpec {
    @JsonPropertyDescription("brokerClusterName of every broker.")
    @Default("DefaultCluster")
    private String clusterName = "DefaultCluster";

    @JsonPropertyDescription("Number of broker groups (brokerName broker-0, broker-1, ...). Scale-in removes a group only once it holds no unconsumed messages.")
    @Min(1)
    @Max(64)
    @Default("1")
    private int groups = 1;

    @JsonPropertyDescription("Slaves per group (brokerId 1..n). SYNC_MASTER needs at least one.")
    @Min(0)
    @Max(8)
    @Default("1")
    private int slavesPerGroup = 1;

    @JsonPropertyDescription("Replication mode of the masters.")
    @Default("ASYNC_MASTER")
    private BrokerRole brokerRole = BrokerRole.ASYNC_MASTER;

    @JsonPropertyDescription("When a send is acknowledged relative to the disk.")
    @Default("ASYNC_FLUSH")
    private FlushDiskType flushDiskType = FlushDiskType.ASYNC_FLUSH;

    private StorageSpec storage = new StorageSpec();

    @JsonPropertyDescription("CPU/memory of each broker container; the heap is half the memory limit (default 2Gi).")
    private ResourceRequirements resources;

    @JsonPropertyDescription("Full image reference; default <imageRegistry>rocketcluster-broker:<version>.")
    private String image;

    @JsonPropertyDescription("Extra broker.conf entries (key: value as in broker.conf). Keys the operator sets itself (names, ids, roles, addresses, ports, store root) are refused.")
    private Map<String, String> config = new LinkedHashMap<>();

    public String getClusterName() { return clusterName; }
    public void setClusterName(String v) { this.clusterName = v; }
    public int getGroups() { return groups; }
    public void setGroups(int v) { this.groups = v; }
    public int getSlavesPerGroup() { return slavesPerGroup; }
    public void setSlavesPerGroup(int v) { this.slavesPerGroup = v; }
    public BrokerRole getBrokerRole() { return brokerRole; }
    public void setBrokerRole(BrokerRole v) { this.brokerRole = v; }
    public FlushDiskType getFlushDiskType() { return flushDiskType; }
    public void setFlushDiskType(FlushDiskType v) { this.flushDiskType = v; }
    public StorageSpec getStorage() { return storage; }
    public void setStorage(StorageSpec v) { this.storage = v; }
    public ResourceRequirements getResources() { return resources; }
    public void setResources(ResourceRequirements v) { this.resources = v; }
    public String getImage() { return image; }
    public void setImage(String v) { this.image = v; }
    public Map<String, String> getConfig() { return config; }
    public void setConfig(Map<String, String> v) { this.config = v; }

    /** brokerRole of a master. */
    public enum BrokerRole { ASYNC_MASTER, SYNC_MASTER }

    /** flushDiskType of every broker. */
    public enum FlushDiskType { ASYNC_FLUSH, SYNC_FLUSH }

    /** The persistent volume each broker keeps its store (commitlog, consume queues, index, config) on. */
    public static class StorageSpec {
        @JsonPropertyDescription("Size of each broker's store volume. May grow later (each broker's claim is expanded, if its StorageClass allows); never shrinks.")
        @Pattern("^[0-9]+(Mi|Gi|Ti)$")
        @Default("10Gi")
        private String size = "10Gi";

        @JsonPropertyDescription("StorageClass of the store volumes (empty: the cluster's default class).")
        private String storageClassName;

        @JsonPropertyDescription("Delete a broker's store volume claim with its StatefulSet (when a group is scaled in or the cluster deleted). Default false: claims are kept, and a broker re-added later finds its old store.")
        @Default("false")
        private boolean deleteClaim = false;

        public boolean isDeleteClaim() { return deleteClaim; }
        public void setDeleteClaim(boolean v) { this.deleteClaim = v; }
        public String getSize() { return size; }
        public void setSize(String v) { this.size = v; }
        public String getStorageClassName() { return storageClassName; }
        public void setStorageClassName(String v) { this.storageClassName = v; }
    }
}
