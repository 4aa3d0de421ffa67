package io.rocketcluster.operator.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.rocketcluster.operator.crd.RocketCluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything one RocketCluster should consist of, as pure data. The reconciler applies it; nothing here
 * talks to the API server.
 *
 * @param shared    objects applied on every reconcile in this order: ConfigMap, nameserver objects,
 *                  per-group Services and PDBs, external Services
 * @param groups    the broker groups in order
 */
public record ClusterModel(List<HasMetadata> shared, List<Group> groups) {

    /** One broker group; {@code rolloutOrder} lists its StatefulSets slaves first, then the master. */
    public record Group(int index, String brokerName, List<StatefulSet> rolloutOrder) {
        public StatefulSet master() {
            return rolloutOrder.get(rolloutOrder.size() - 1);
        }
    }

    public static ClusterModel of(RocketCluster cr) {
        return of(cr, 0);
    }

    /**
     * @param configGroups keep broker.conf files for this many groups at least (groups beyond the spec
     *                     that are still draining); their StatefulSets are not part of the model
     */
    public static ClusterModel of(RocketCluster cr, int configGroups) {
        int groups = cr.getSpec().getBroker().getGroups();
        int slaves = cr.getSpec().getBroker().getSlavesPerGroup();
        List<HasMetadata> shared = new ArrayList<>();
        shared.add(BrokerModel.configMap(cr, Math.max(groups, configGroups)));
        shared.addAll(NameServerModel.objects(cr));
        List<Group> out = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            shared.add(BrokerModel.groupService(cr, g));
            shared.add(BrokerModel.disruptionBudget(cr, g));
            List<StatefulSet> order = new ArrayList<>();
            for (int id = slaves; id >= 0; id--) {
                order.add(BrokerModel.statefulSet(cr, g, id));
                BrokerModel.externalService(cr, g, id).ifPresent(shared::add);
            }
            out.add(new Group(g, Names.brokerName(g), List.copyOf(order)));
        }
        return new ClusterModel(List.copyOf(shared), List.copyOf(out));
    }

    /** Every object, StatefulSets included. */
    public List<HasMetadata> all() {
        List<HasMetadata> all = new ArrayList<>(shared);
        groups.forEach(g -> all.addAll(g.rolloutOrder()));
        return all;
    }
}
