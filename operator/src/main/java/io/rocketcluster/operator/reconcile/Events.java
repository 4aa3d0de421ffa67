package io.rocketcluster.operator.reconcile;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.rocketcluster.operator.crd.RocketCluster;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Kubernetes Events on a RocketCluster (what {@code kubectl describe rc} shows). Failures are logged only. */
final class Events {
    private static final Logger LOG = LogManager.getLogger(Events.class);
    static final String COMPONENT = "rocketcluster-operator";

    private Events() {
    }

    static void normal(KubernetesClient client, RocketCluster cr, String reason, String message) {
        emit(client, cr, "Normal", reason, message);
    }

    static void warning(KubernetesClient client, RocketCluster cr, String reason, String message) {
        emit(client, cr, "Warning", reason, message);
    }

    private static void emit(KubernetesClient client, RocketCluster cr, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String ns = cr.getMetadata().getNamespace();
        Event e = new EventBuilder()
                .withNewMetadata().withNamespace(ns)
                .withName(cr.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(cr.getApiVersion()).withKind(cr.getKind())
                        .withName(cr.getMetadata().getName()).withNamespace(ns).withUid(cr.getMetadata().getUid()).build())
                .withType(type).withReason(reason).withMessage(message)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .build();
        LOG.info("{}/{}: {} {}: {}", ns, cr.getMetadata().getName(), type, reason, message);
        try {
            client.v1().events().inNamespace(ns).resource(e).create();
        } catch (RuntimeException ex) {
            LOG.warn("could not record event {} on {}/{}: {}", reason, ns, cr.getMetadata().getName(), ex.getMessage());
        }
    }
}
