package io.rocketcluster.operator;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.rocketcluster.operator.crd.RocketCluster;
import io.rocketcluster.operator.mock.FakeBrokerAdmin;
import io.rocketcluster.operator.mock.MockKubernetes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two operator replicas with leader election: one reconciles; when it stops, the other takes over. */
class LeaderElectionTest {
    private final MockKubernetes k8s = new MockKubernetes();
    private final KubernetesClient client = k8s.client;
    private Operator a;
    private Operator b;

    @AfterEach
    void stop() {
        for (Operator op : new Operator[] {a, b}) {
            if (op != null) {
                op.stop();
            }
        }
        k8s.close();
    }

    @Test
    void theStandbyTakesOverWhenTheLeaderStops() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("ops").endMetadata().build()).create();
        a = k8s.newOperator(new FakeBrokerAdmin(), election("pod-a"));
        assertThat(OperatorMain.notReadyReason(a)).isEqualTo("operator starting");
        a.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> holder() != null && holder().equals("pod-a"));
        b = k8s.newOperator(new FakeBrokerAdmin(), election("pod-b"));
        b.start();
        // the standby reports ready (its health endpoint answers 200), so a rolling update never stalls on it
        await().atMost(Duration.ofSeconds(30)).until(() -> OperatorMain.notReadyReason(b) == null);

        RocketCluster cr = new RocketCluster();
        cr.getMetadata().setName("demo");
        cr.getMetadata().setNamespace("ops");
        cr.getSpec().setVersion("1.0.0");
        client.resource(cr).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> master() != null);
        assertThat(holder()).isEqualTo("pod-a");

        a.stop();
        a = null;
        await().atMost(Duration.ofSeconds(30)).until(() -> "pod-b".equals(holder()));
        client.resources(RocketCluster.class).inNamespace("ops").withName("demo").edit(c -> {
            c.getSpec().getBroker().setGroups(2);
            return c;
        });
        await().atMost(Duration.ofSeconds(30)).until(() ->
                client.apps().statefulSets().inNamespace("ops").withName("demo-broker-1-master").get() != null);
    }

    private static LeaderElectionConfiguration election(String identity) {
        return new LeaderElectionConfiguration("rocketcluster-operator", "ops", Duration.ofSeconds(4),
                Duration.ofSeconds(3), Duration.ofMillis(500), identity, null, false);
    }

    private String holder() {
        Lease l = client.leases().inNamespace("ops").withName("rocketcluster-operator").get();
        return l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
    }

    private StatefulSet master() {
        return client.apps().statefulSets().inNamespace("ops").withName("demo-broker-0-master").get();
    }
}
