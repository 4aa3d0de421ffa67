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

    public boolean inProgress() {
        return waitingFor != null;
    }
}
