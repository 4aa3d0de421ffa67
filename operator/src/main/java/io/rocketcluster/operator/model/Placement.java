package io.rocketcluster.operator.model;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodAntiAffinityBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTermBuilder;

import java.util.List;
import java.util.Map;

/**
 * Where the brokers of one group go relative to each other: preferably on different nodes (a node lost
 * takes at most one copy of the group's data) and spread across zones. Both are preferences, so a
 * one-node or one-zone cluster still schedules every broker. A podAntiAffinity the user gives in
 * spec.scheduling replaces the default one; the rest of the user's affinity is kept.
 */
final class Placement {
    static final String HOST = "kubernetes.io/hostname";
    static final String ZONE = "topology.kubernetes.io/zone";

    private Placement() {
    }

    /** {@code user}'s affinity, with the group's preferred anti-affinity unless the user set one. */
    static Affinity withGroupAntiAffinity(Affinity user, Map<String, String> groupSelector) {
        if (user != null && user.getPodAntiAffinity() != null) {
            return user;
        }
        AffinityBuilder a = user == null ? new AffinityBuilder() : new AffinityBuilder(user);
        return a.withPodAntiAffinity(new PodAntiAffinityBuilder()
                .withPreferredDuringSchedulingIgnoredDuringExecution(new WeightedPodAffinityTermBuilder()
                        .withWeight(100)
                        .withNewPodAffinityTerm()
                        .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(groupSelector).build())
                        .withTopologyKey(HOST)
                        .endPodAffinityTerm()
                        .build())
                .build()).build();
    }

    /** The group's brokers spread across zones, best effort. */
    static List<TopologySpreadConstraint> zoneSpread(Map<String, String> groupSelector) {
        return List.of(new TopologySpreadConstraintBuilder()
                .withMaxSkew(1).withTopologyKey(ZONE).withWhenUnsatisfiable("ScheduleAnyway")
                .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(groupSelector).build())
                .build());
    }
}
