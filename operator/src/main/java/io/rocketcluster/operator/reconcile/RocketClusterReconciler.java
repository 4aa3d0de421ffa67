package io.rocketcluster.operator.reconcile;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.rocketcluster.operator.crd.RocketCluster;
import io.rocketcluster.operator.crd.RocketClusterStatus;
import io.rocketcluster.operator.model.ClusterModel;
import io.rocketcluster.operator.model.Labels;
import io.rocketcluster.operator.model.Names;
import io.rocketcluster.operator.model.SpecValidation;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Thin reconciler: builds the {@link ClusterModel}, server-side-applies what differs from the informer
 * caches (nothing, once settled), rolls broker StatefulSets one at a time ({@link Rollout}), removes
 * what the spec no longer asks for (a broker group only once it holds no unconsumed messages) and
 * writes status conditions and Events. One instance serves every RocketCluster the operator watches.
 */
@ControllerConfiguration(name = RocketClusterReconciler.NAME, fieldManager = RocketClusterReconciler.FIELD_MANAGER)
public class RocketClusterReconciler implements Reconciler<RocketCluster> {
    public static final String NAME = "rocketcluster";
    public static final String FIELD_MANAGER = "rocketcluster-operator";
    private static final Logger LOG = LogManager.getLogger(RocketClusterReconciler.class);
    private static final List<Class<? extends HasMetadata>> OWNED =
            List.of(ConfigMap.class, Service.class, Deployment.class, StatefulSet.class, PodDisruptionBudget.class);

    private final BrokerAdmin admin;
    private final Duration drainRecheck;
    private final Duration drainGrace;

    /**
     * @param admin        asks brokers about their backlog before a group is removed
     * @param drainRecheck how often a blocked scale-in is checked again
     * @param drainGrace   how long a group stays read-only before it may go: producers keep a cached
     *                     route (refreshed every 30 s by default) and a read-only broker still stores
     *                     what they send to it meanwhile, so the backlog only means something after that
     */
    public RocketClusterReconciler(BrokerAdmin admin, Duration drainRecheck, Duration drainGrace) {
        this.admin = admin;
        this.drainRecheck = drainRecheck;
        this.drainGrace = drainGrace;
    }

    @Override
    public List<EventSource<?, RocketCluster>> prepareEventSources(EventSourceContext<RocketCluster> ctx) {
        List<EventSource<?, RocketCluster>> sources = new ArrayList<>();
        for (Class<? extends HasMetadata> type : OWNED) {
            sources.add(informer(type, ctx));
        }
        return sources;
    }

    private static <R extends HasMetadata> EventSource<R, RocketCluster> informer(
            Class<R> type, EventSourceContext<RocketCluster> ctx) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, RocketCluster.class)
                .withLabelSelector(Labels.MANAGED_BY).build(), ctx);
    }

    @Override
    public UpdateControl<RocketCluster> reconcile(RocketCluster cr, Context<RocketCluster> ctx) {
        KubernetesClient client = ctx.getClient();
        List<String> problems = SpecValidation.problems(cr);
        if (!problems.isEmpty()) {
            RocketClusterStatus status = StatusBuilder.invalid(cr, problems);
            if (!StatusBuilder.same(status, cr.getStatus())) {
                Events.warning(client, cr, "InvalidSpec", String.join("; ", problems));
            }
            return statusUpdate(cr, status);
        }
        Map<String, HasMetadata> existing = owned(ctx);
        Map<String, StatefulSet> statefulSets = new HashMap<>();
        existing.values().stream().filter(StatefulSet.class::isInstance)
                .forEach(s -> statefulSets.put(s.getMetadata().getName(), (StatefulSet) s));

        Map<String, StatusBuilder.Drain> draining = scaleIn(cr, client, existing);
        int keepConfig = draining.keySet().stream().mapToInt(RocketClusterReconciler::groupIndex).max().orElse(-1) + 1;
        ClusterModel model = ClusterModel.of(cr, keepConfig);

        Set<String> desiredKeys = new HashSet<>();
        for (HasMetadata o : model.shared()) {
            desiredKeys.add(key(o));
            HasMetadata want = prepare(cr, o);
            if (!Workloads.upToDate(existing.get(key(o)), want)) {
                apply(client, want);
            }
        }
        List<StatefulSet> order = new ArrayList<>();
        Map<String, String> notes = new LinkedHashMap<>();
        Map<String, String> stillReadOnly = restoreWritable(cr, client, notes);
        for (ClusterModel.Group g : model.groups()) {
            List<StatefulSet> group = new ArrayList<>();
            for (StatefulSet s : g.rolloutOrder()) {
                desiredKeys.add(key(s));
                StatefulSet want = prepare(cr, s);
                StatefulSet current = statefulSets.get(s.getMetadata().getName());
                if (current != null) {
                    // volumeClaimTemplates are immutable: keep the server's (after stamping, so its
                    // defaults do not change the hash); a new size goes to the claim itself
                    want.getSpec().setVolumeClaimTemplates(current.getSpec().getVolumeClaimTemplates());
                    String note = StoreVolumes.reconcile(client, cr, current);
                    if (note != null) {
                        notes.merge(g.brokerName(), note, (a, b) -> a + "; " + b);
                    }
                }
                group.add(want);
            }
            order.addAll(Rollout.groupOrder(group, statefulSets));
        }
        Rollout rollout = Rollout.plan(order, statefulSets);
        for (StatefulSet s : rollout.apply()) {
            boolean created = !statefulSets.containsKey(s.getMetadata().getName());
            apply(client, s);
            if (!created) {
                Events.normal(client, cr, "RollingUpdate", "updating " + s.getMetadata().getName()
                        + (rollout.pending().isEmpty() ? "" : "; then " + String.join(", ", rollout.pending())));
            }
        }
        prune(cr, client, existing, desiredKeys);

        StatusBuilder.Observed observed = new StatusBuilder.Observed(model, statefulSets,
                (Deployment) existing.get(key("Deployment", new Names(cr).nameServer())), rollout, draining, notes,
                stillReadOnly);
        UpdateControl<RocketCluster> control = statusUpdate(cr, StatusBuilder.of(cr, observed));
        if (!draining.isEmpty() || !stillReadOnly.isEmpty()) {
            control.rescheduleAfter(drainRecheck);
        }
        return control;
    }

    /**
     * A reconcile that failed (the API server refused a write, say): Degraded with the reason, the
     * rest of the status kept; JOSDK retries with back-off.
     */
    @Override
    public ErrorStatusUpdateControl<RocketCluster> updateErrorStatus(RocketCluster cr, Context<RocketCluster> ctx,
                                                                     Exception e) {
        RocketClusterStatus status = StatusBuilder.failed(cr, rootMessage(e));
        if (StatusBuilder.same(status, cr.getStatus())) {
            return ErrorStatusUpdateControl.defaultErrorProcessing();
        }
        return ErrorStatusUpdateControl.patchStatus(statusOnly(cr, status));
    }

    /** The innermost cause's message (what the API server or the broker said). */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /**
     * Groups that exist but are beyond spec.broker.groups. A group whose master still holds unconsumed
     * messages (or cannot be asked) is made read-only and kept; the others are deleted with their
     * Services and PDBs (their PersistentVolumeClaims stay, as StatefulSets leave them).
     *
     * @return brokerName -> why the group is still there
     */
    private Map<String, StatusBuilder.Drain> scaleIn(RocketCluster cr, KubernetesClient client, Map<String, HasMetadata> existing) {
        Names names = new Names(cr);
        int groups = cr.getSpec().getBroker().getGroups();
        TreeMap<Integer, List<HasMetadata>> extra = new TreeMap<>();
        for (HasMetadata o : existing.values()) {
            int g = groupIndex(label(o, Labels.BROKER_GROUP));
            if (g >= groups) {
                extra.computeIfAbsent(g, k -> new ArrayList<>()).add(o);
            }
        }
        Map<String, StatusBuilder.Drain> draining = new LinkedHashMap<>();
        for (var e : extra.entrySet()) {
            int g = e.getKey();
            String brokerName = Names.brokerName(g);
            if (existing.containsKey(key("StatefulSet", names.statefulSet(g, 0)))) {
                StatusBuilder.Drain held = drain(cr, client, g);
                if (held != null) {
                    draining.put(brokerName, held);
                    continue;
                }
            }
            for (HasMetadata o : e.getValue()) {
                delete(client, o);
            }
            Events.normal(client, cr, "ScaledIn", "removed broker group " + brokerName
                    + "; its PersistentVolumeClaims are kept (delete them to free the volumes)");
        }
        return draining;
    }

    /**
     * Makes group {@code g}'s master read-only and decides whether the group may go: no backlog, and
     * read-only for at least the grace period. The grace starts only once the broker took the change.
     *
     * @return why the group stays, or null when it may be removed
     */
    private StatusBuilder.Drain drain(RocketCluster cr, KubernetesClient client, int g) {
        String brokerName = Names.brokerName(g);
        String addr = new Names(cr).brokerHost(g, 0) + ":" + Names.BROKER_PORT;
        Optional<RocketClusterStatus.BrokerGroupStatus> before = previousGroup(cr, brokerName);
        String since = before.map(RocketClusterStatus.BrokerGroupStatus::getDrainingSince).orElse(null);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String held;
        try {
            admin.makeReadOnly(addr);
            if (since == null) {
                since = now.toString();
            }
            long backlog = admin.unconsumedMessages(addr);
            if (backlog > 0) {
                held = brokerName + " still holds " + backlog + " unconsumed messages: it is read-only"
                        + " since " + since + " and is removed once its consumers have drained it";
            } else if (Instant.parse(since).plus(drainGrace).isAfter(now)) {
                held = brokerName + " is read-only since " + since + " and has no backlog; it is removed after "
                        + drainGrace.toSeconds() + " s without one (producers may still hold its old route)";
            } else {
                return null;
            }
        } catch (Exception ex) {
            held = "cannot ask " + brokerName + " (" + addr + ") for its backlog, so it is kept: " + ex.getMessage();
        }
        // one Event per kind of hold-up, not one per changed backlog count
        String previous = before.map(RocketClusterStatus.BrokerGroupStatus::getMessage).orElse(null);
        if (previous == null || !holdKind(previous).equals(holdKind(held))) {
            Events.warning(client, cr, "ScaleInBlocked", held);
        }
        return new StatusBuilder.Drain(held, since);
    }

    private static String holdKind(String message) {
        return message.startsWith("cannot ask") ? "unreachable" : message.contains(" still holds ") ? "backlog" : "grace";
    }

    /**
     * Groups in the spec again after a scale-in had made them read-only: writable again
     * (brokerPermission=6), since their broker.conf did not change and nothing would restart them.
     *
     * @return brokerName -> since when it is still read-only, for groups the broker could not be told yet
     */
    private Map<String, String> restoreWritable(RocketCluster cr, KubernetesClient client, Map<String, String> notes) {
        Map<String, String> stillReadOnly = new LinkedHashMap<>();
        if (cr.getStatus() == null) {
            return stillReadOnly;
        }
        for (RocketClusterStatus.BrokerGroupStatus was : cr.getStatus().getBrokerGroups()) {
            int g = groupIndex(was.getBrokerName());
            if (was.getDrainingSince() == null || g < 0 || g >= cr.getSpec().getBroker().getGroups()) {
                continue;
            }
            String addr = new Names(cr).brokerHost(g, 0) + ":" + Names.BROKER_PORT;
            try {
                admin.makeWritable(addr);
                Events.normal(client, cr, "ScaleInCancelled", was.getBrokerName() + " is writable again");
            } catch (Exception ex) {
                stillReadOnly.put(was.getBrokerName(), was.getDrainingSince());
                notes.merge(was.getBrokerName(), "still read-only from a cancelled scale-in: " + ex.getMessage(),
                        (a, b) -> a + "; " + b);
            }
        }
        return stillReadOnly;
    }

    private static Optional<RocketClusterStatus.BrokerGroupStatus> previousGroup(RocketCluster cr, String brokerName) {
        if (cr.getStatus() == null) {
            return Optional.empty();
        }
        return cr.getStatus().getBrokerGroups().stream().filter(g -> brokerName.equals(g.getBrokerName())).findFirst();
    }

    /** Deletes what this cluster owns and no longer wants; groups beyond the spec are scaleIn's business. */
    private static void prune(RocketCluster cr, KubernetesClient client, Map<String, HasMetadata> existing,
                              Set<String> desired) {
        for (var e : existing.entrySet()) {
            HasMetadata o = e.getValue();
            if (desired.contains(e.getKey())
                    || groupIndex(label(o, Labels.BROKER_GROUP)) >= cr.getSpec().getBroker().getGroups()) {
                continue;
            }
            delete(client, o);
            if (o instanceof StatefulSet) {
                Events.normal(client, cr, "Removed", "removed " + o.getMetadata().getName());
            }
        }
    }

    /** Stamps the desired object with its content hash, then makes the cluster its controlling owner. */
    private static <T extends HasMetadata> T prepare(RocketCluster cr, T o) {
        Workloads.stamp(o);
        o.getMetadata().setOwnerReferences(List.of(ownerReference(cr)));
        return o;
    }

    static OwnerReference ownerReference(RocketCluster cr) {
        return new OwnerReferenceBuilder().withApiVersion(cr.getApiVersion()).withKind(cr.getKind())
                .withName(cr.getMetadata().getName()).withUid(cr.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(false).build();
    }

    private static void apply(KubernetesClient client, HasMetadata o) {
        LOG.info("apply {} {}/{}", o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName());
        client.resource(o).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    private static void delete(KubernetesClient client, HasMetadata o) {
        LOG.info("delete {} {}/{}", o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName());
        client.resource(o).delete();
    }

    private static UpdateControl<RocketCluster> statusUpdate(RocketCluster cr, RocketClusterStatus status) {
        if (StatusBuilder.same(status, cr.getStatus())) {
            return UpdateControl.noUpdate();
        }
        return UpdateControl.patchStatus(statusOnly(cr, status));
    }

    /** Name, namespace and status only: the shape of a server-side-applied status patch. */
    private static RocketCluster statusOnly(RocketCluster cr, RocketClusterStatus status) {
        RocketCluster patch = new RocketCluster();
        patch.getMetadata().setName(cr.getMetadata().getName());
        patch.getMetadata().setNamespace(cr.getMetadata().getNamespace());
        patch.setSpec(null);
        patch.setStatus(status);
        return patch;
    }

    /** Everything of the five owned kinds that the informers hold for this cluster, by kind/name. */
    private static Map<String, HasMetadata> owned(Context<RocketCluster> ctx) {
        Map<String, HasMetadata> out = new HashMap<>();
        for (Class<? extends HasMetadata> type : OWNED) {
            for (HasMetadata o : ctx.getSecondaryResources(type)) {
                out.put(key(o), o);
            }
        }
        return out;
    }

    private static String key(HasMetadata o) {
        return key(o.getKind(), o.getMetadata().getName());
    }

    private static String key(String kind, String name) {
        return kind + "/" + name;
    }

    private static String label(HasMetadata o, String key) {
        return o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(key);
    }

    /** N of "broker-N", or -1. */
    static int groupIndex(String brokerName) {
        if (brokerName == null || !brokerName.startsWith("broker-")) {
            return -1;
        }
        try {
            return Integer.parseInt(brokerName.substring("broker-".length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
