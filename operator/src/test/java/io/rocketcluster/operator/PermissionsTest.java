package io.rocketcluster.operator;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.rocketcluster.operator.crd.ExternalAccessSpec;
import io.rocketcluster.operator.crd.RocketCluster;
import io.rocketcluster.operator.model.ClusterModel;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The RBAC the chart grants ({@link Permissions}) is exactly what the reconciler writes. */
class PermissionsTest {

    @Test
    void writePermissionsAreExactlyTheKindsTheReconcilerWrites() {
        RocketCluster cr = new RocketCluster();
        cr.getMetadata().setName("demo");
        cr.getMetadata().setNamespace("ns");
        cr.getSpec().getExternalAccess().setType(ExternalAccessSpec.Type.NodePort);
        cr.getSpec().getExternalAccess().setAdvertisedHost("node.example.test");

        Set<String> written = ClusterModel.of(cr).all().stream().map(o -> resource(o.getClass()))
                .collect(Collectors.toCollection(TreeSet::new));
        written.add(resource(Event.class));                  // Events on the RocketCluster
        written.add(resource(PersistentVolumeClaim.class));  // store volumes grown in place
        written.add(resource(RocketCluster.class) + "/status");

        Set<String> granted = new TreeSet<>(Permissions.written());
        granted.remove(resource(RocketCluster.class));        // read + status only, see below
        assertThat(granted).isEqualTo(written);
        assertThat(Permissions.CLUSTER_RULES).anySatisfy(r -> {
            assertThat(r.resource()).isEqualTo("rocketclusters");
            assertThat(r.verbs()).doesNotContain("create", "delete");
        });
    }

    private static String resource(Class<? extends HasMetadata> type) {
        return HasMetadata.getGroup(type) + "/" + HasMetadata.getPlural(type);
    }
}
