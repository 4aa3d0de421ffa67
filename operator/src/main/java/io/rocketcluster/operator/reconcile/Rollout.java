package io.rocketcluster.operator.reconcile;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides which broker StatefulSets may be written now. Missing ones are created at once (a new broker
 * disturbs nobody). A changed one is updated only when every StatefulSet before it in rollout order
 * (group by group, slaves before their master) is up to date and ready; then the walk stops until
 * that one is ready too. So a config or image change reaches one broker at a time, slaves first, and
 * a broker that does not come back stops the rollout before the master is touched.
 *
 * @param apply      StatefulSets to write now (stamped desired objects)
 * @param waitingFor the StatefulSet the rollout waits for, or null when nothing is in progress
 * @param pending    changed StatefulSets held back behind {@code waitingFor}
 */
public record Rollout(List<StatefulSet> apply, String waitingFor, List<String> pending) {

    /**
     * @param order    stamped desired StatefulSets in rollout order
     * @param existing the current StatefulSets by name (from the informer cache)
     */
    public static Rollout plan(List<StatefulSet> order, Map<String, StatefulSet> existing) {
        List<StatefulSet> apply = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        String waitingFor = null;
        for (StatefulSet desired : order) {
            String name = desired.getMetadata().getName();
            StatefulSet current = existing.get(name);
            if (current == null) {
                apply.add(desired);
            } else if (!Workloads.upToDate(current, desired)) {
                if (waitingFor == null) {
                    apply.add(desired);
                    waitingFor = name;
                } else {
                    pending.add(name);
                }
            } else if (waitingFor == null && !Workloads.ready(current)) {
                waitingFor = name;
            }
        }
        return new Rollout(List.copyOf(apply), waitingFor, List.copyOf(pending));
    }

    /**
     * A group's rollout order: slaves first, then the master; but the master first while it is not
     * ready, since a slave cannot become ready without its master (it replicates from it) and a fix for
     * a broken master would otherwise never reach it.
     *
     * @param slavesThenMaster the group's stamped StatefulSets, master last
     */
    public static List<StatefulSet> groupOrder(List<StatefulSet> slavesThenMaster, Map<String, StatefulSet> existing) {
        StatefulSet master = slavesThenMaster.get(slavesThenMaster.size() - 1);
        StatefulSet current = existing.get(master.getMetadata().getName());
        if (current == null || Workloads.ready(current)) {
            return slavesThenMaster;
        }
        List<StatefulSet> out = new ArrayList<>();
        out.add(master);
        out.addAll(slavesThenMaster.subList(0, slavesThenMaster.size() - 1));
        return out;
    }

    public boolean inProgress() {
        return waitingFor != null;
    }
}
