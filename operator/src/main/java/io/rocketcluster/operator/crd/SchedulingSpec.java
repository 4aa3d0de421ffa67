package io.rocketcluster.operator.crd;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where the pods may run; applied to nameserver and broker pods alike. */
public class SchedulingSpec {
    private Affinity affinity;
    private List<Toleration> tolerations = List.of();
    private Map<String, String> nodeSelector = new LinkedHashMap<>();

    public Affinity getAffinity() { return affinity; }
    public void setAffinity(Affinity v) { this.affinity = v; }
    public List<Toleration> getTolerations() { return tolerations; }
    public void setTolerations(List<Toleration> v) { this.tolerations = v; }
    public Map<String, String> getNodeSelector() { return nodeSelector; }
    public void setNodeSelector(Map<String, String> v) { this.nodeSelector = v; }
}
