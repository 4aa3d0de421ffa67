package io.rocketcluster.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator observed, written by the reconciler only. */
public class RocketClusterStatus {
    @JsonPropertyDescription("metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Ready, Progressing and Degraded, each with a reason and a message.")
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("namesrvAddr for clients inside the Kubernetes cluster.")
    private String nameServerAddress;

    @JsonPropertyDescription("namesrvAddr for clients outside the Kubernetes cluster (externalAccess only).")
    private String externalNameServerAddress;

    @JsonPropertyDescription("Ready broker groups / desired groups, e.g. 2/2.")
    private String readyGroups;

    private List<BrokerGroupStatus> brokerGroups = new ArrayList<>();

    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long v) { this.observedGeneration = v; }
    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> v) { this.conditions = v; }
    public String getNameServerAddress() { return nameServerAddress; }
    public void setNameServerAddress(String v) { this.nameServerAddress = v; }
    public String getExternalNameServerAddress() { return externalNameServerAddress; }
    public void setExternalNameServerAddress(String v) { this.externalNameServerAddress = v; }
    public String getReadyGroups() { return readyGroups; }
    public void setReadyGroups(String v) { this.readyGroups = v; }
    public List<BrokerGroupStatus> getBrokerGroups() { return brokerGroups; }
    public void setBrokerGroups(List<BrokerGroupStatus> v) { this.brokerGroups = v; }

    /** The condition of {@code type}, or null. */
    public Condition condition(String type) {
        return conditions.stream().filter(c -> Objects.equals(c.getType(), type)).findFirst().orElse(null);
    }

    /** One broker group (brokerName): its master and slaves. */
    public static class BrokerGroupStatus {
        private String brokerName;
        private boolean ready;
        private boolean masterReady;
        private int readySlaves;
        private int slaves;
        @JsonPropertyDescription("Running, RollingOut, Pending, Draining (scale-in waits for consumers) or Removing.")
        private String phase;
        private String message;
        @JsonPropertyDescription("When scale-in made this group read-only (Draining only).")
        private String drainingSince;

        public String getBrokerName() { return brokerName; }
        public void setBrokerName(String v) { this.brokerName = v; }
        public boolean isReady() { return ready; }
        public void setReady(boolean v) { this.ready = v; }
        public boolean isMasterReady() { return masterReady; }
        public void setMasterReady(boolean v) { this.masterReady = v; }
        public int getReadySlaves() { return readySlaves; }
        public void setReadySlaves(int v) { this.readySlaves = v; }
        public int getSlaves() { return slaves; }
        public void setSlaves(int v) { this.slaves = v; }
        public String getPhase() { return phase; }
        public void setPhase(String v) { this.phase = v; }
        public String getMessage() { return message; }
        public void setMessage(String v) { this.message = v; }
        public String getDrainingSince() { return drainingSince; }
        public void setDrainingSince(String v) { this.drainingSince = v; }

        @Override
        public boolean equals(Object o) {
            return o instanceof BrokerGroupStatus b && ready == b.ready && masterReady == b.masterReady
                    && readySlaves == b.readySlaves && slaves == b.slaves && Objects.equals(brokerName, b.brokerName)
                    && Objects.equals(phase, b.phase) && Objects.equals(message, b.message)
                    && Objects.equals(drainingSince, b.drainingSince);
        }

        @Override
        public int hashCode() {
            return Objects.hash(brokerName, ready, masterReady, readySlaves, slaves, phase, message, drainingSince);
        }
    }
}
