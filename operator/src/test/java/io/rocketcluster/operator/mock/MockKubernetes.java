package io.rocketcluster.operator.mock;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.rocketcluster.operator.reconcile.BrokerAdmin;
import io.rocketcluster.operator.reconcile.RocketClusterReconciler;

import java.io.InputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;

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

    @Override
    public void close() {
        if (operator != null) {
            operator.stop();
        }
        client.close();
        server.destroy();
    }
}
