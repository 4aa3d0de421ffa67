package io.rocketcluster.operator.mock;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.rocketcluster.operator.crd.RocketCluster;
import io.rocketcluster.operator.crd.RocketClusterStatus;
import io.rocketcluster.operator.reconcile.BrokerAdmin;
import io.rocketcluster.operator.reconcile.RocketClusterReconciler;

import java.io.InputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fabric8 mock API server in CRUD mode with the generated RocketCluster CRD registered, and the
 * operator running against it with production settings (server-side apply included). The mock runs no
 * controllers: tests play the StatefulSet/Deployment controllers with {@link #markReady}.
 */
public final class MockKubernetes implements AutoCloseable {
    /** How long a scaled-in group stays read-only without backlog before it is removed, in these tests. */
    public static final Duration DRAIN_GRACE = Duration.ofSeconds(2);
    public static final String CRD = "/META-INF/fabric8/rocketclusters.rocketcluster.io-v1.yml";

    public final KubernetesMockServer server;
    public final KubernetesClient client;
    private Operator operator;

    /** On localhost, a random port. */
    public MockKubernetes() {
        this(null, 0);
    }

    /**
     * On {@code address} (e.g. a Docker bridge's gateway, for an operator container to reach it) and
     * {@code port} (0 = random). Plain HTTP. Give the address a host name
     * ({@code InetAddress.getByAddress(literal, bytes)}): the mock asks it for one, which is otherwise a
     * reverse DNS lookup.
     */
    public MockKubernetes(InetAddress address, int port) {
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(),
                new SsaTolerantCrudDispatcher(), false);
        if (address == null) {
            server.init();
        } else {
            server.init(address, port);
        }
        client = server.createClient();
        client.resource(generatedCrd()).create();
    }

    public static CustomResourceDefinition generatedCrd() {
        try (InputStream in = MockKubernetes.class.getResourceAsStream(CRD)) {
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public MockKubernetes startOperator(BrokerAdmin admin) {
        operator = newOperator(admin, null);
        operator.start();
        return this;
    }

    /**
     * An operator on this server, not started; with {@code leaderElection} it only reconciles while it
     * holds that Lease (production's settings, with short lease times).
     */
    public Operator newOperator(BrokerAdmin admin, LeaderElectionConfiguration leaderElection) {
        Operator op = new Operator(o -> {
            o.withKubernetesClient(client).withCloseClientOnStop(false);
            if (leaderElection != null) {
                o.withLeaderElectionConfiguration(leaderElection);
            }
        });
        op.register(new RocketClusterReconciler(admin, Duration.ofMillis(300), DRAIN_GRACE));
        return op;
    }

    /** Plays the StatefulSet controller: the current spec is rolled out and its one replica is ready. */
    public void markReady(StatefulSet s) {
        StatefulSet cur = client.resource(s).get();
        cur.setStatus(new StatefulSetStatusBuilder().withObservedGeneration(cur.getMetadata().getGeneration())
                .withReplicas(1).withReadyReplicas(1).withUpdatedReplicas(1).withAvailableReplicas(1)
                .withCurrentRevision("rev-" + cur.getMetadata().getGeneration())
                .withUpdateRevision("rev-" + cur.getMetadata().getGeneration()).build());
        client.resource(cur).updateStatus();
    }

    /** Plays the Deployment controller. */
    public void markReady(Deployment d) {
        Deployment cur = client.resource(d).get();
        int replicas = cur.getSpec().getReplicas();
        cur.setStatus(new DeploymentStatusBuilder().withObservedGeneration(cur.getMetadata().getGeneration())
                .withReplicas(replicas).withReadyReplicas(replicas).withUpdatedReplicas(replicas)
                .withAvailableReplicas(replicas).build());
        client.resource(cur).updateStatus();
    }

    // --- what a test reads and changes, as kubectl would ------------------------------------------

    /**
     * Changes a RocketCluster the way {@code kubectl edit} does; a 409 (the operator wrote status in
     * between, so the resourceVersion moved) is retried on the fresh object, as kubectl's user would.
     */
    public void edit(String namespace, String name, Consumer<RocketCluster> change) {
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptionsMatching(e -> e instanceof KubernetesClientException k && k.getCode() == 409)
                .until(() -> {
                    client.resources(RocketCluster.class).inNamespace(namespace).withName(name).edit(c -> {
                        change.accept(c);
                        return c;
                    });
                    return true;
                });
    }

    public StatefulSet statefulSet(String namespace, String name) {
        return client.apps().statefulSets().inNamespace(namespace).withName(name).get();
    }

    /** The cluster's status; fails when the operator has written none yet. */
    public RocketClusterStatus status(String namespace, String name) {
        RocketCluster cr = client.resources(RocketCluster.class).inNamespace(namespace).withName(name).get();
        assertThat(cr.getStatus()).as("status written").isNotNull();
        return cr.getStatus();
    }

    public static Condition condition(RocketClusterStatus st, String type) {
        Condition c = st.condition(type);
        assertThat(c).as("condition " + type).isNotNull();
        return c;
    }

    public static String image(StatefulSet s) {
        return s.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    /** Plays every controller of {@code namespace}: all StatefulSets and Deployments rolled out and ready. */
    public void markAllReady(String namespace) {
        client.apps().statefulSets().inNamespace(namespace).list().getItems().forEach(this::markReady);
        client.apps().deployments().inNamespace(namespace).list().getItems().forEach(this::markReady);
    }

    public List<Event> events(String namespace, String reason) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    @Override
    public void close() {
        if (operator != null) {
            operator.stop();
        }
        client.close();
        server.destroy();
    }
}
