package io.rocketcluster.operator.reconcile;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rocketcluster.operator.crd.RocketCluster;
import io.rocketcluster.operator.model.BrokerModel;

/**
 * spec.broker.storage.size after the volumes exist. A StatefulSet's volumeClaimTemplates cannot change,
 * so a bigger size is applied to each broker's PersistentVolumeClaim instead (Kubernetes then expands
 * the volume, if its StorageClass allows expansion); a smaller size is refused, as volumes cannot shrink.
 */
final class StoreVolumes {
    private StoreVolumes() {
    }

    /**
     * Grows the store claim of {@code current}'s pod to spec.broker.storage.size when it is smaller.
     *
     * @return a note for the broker group's status, or null when the volume has the asked size
     */
    static String reconcile(KubernetesClient client, RocketCluster cr, StatefulSet current) {
        Quantity want = new Quantity(cr.getSpec().getBroker().getStorage().getSize());
        Quantity template = current.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources()
                .getRequests().get("storage");
        int cmp = Quantity.getAmountInBytes(want).compareTo(Quantity.getAmountInBytes(template));
        String sts = current.getMetadata().getName();
        if (cmp < 0) {
            return sts + " keeps its " + template + " store volume: volumes cannot shrink";
        }
        if (cmp == 0) {
            return null;
        }
        String pvcName = BrokerModel.STORE_VOLUME + "-" + sts + "-0";
        PersistentVolumeClaim pvc = client.persistentVolumeClaims().inNamespace(current.getMetadata().getNamespace())
                .withName(pvcName).get();
        if (pvc == null) {
            return null; // no pod has run yet: nothing to grow
        }
        Quantity has = pvc.getSpec().getResources().getRequests().get("storage");
        if (has != null && Quantity.getAmountInBytes(has).compareTo(Quantity.getAmountInBytes(want)) >= 0) {
            return null;
        }
        try {
            client.persistentVolumeClaims().inNamespace(pvc.getMetadata().getNamespace()).withName(pvcName)
                    .edit(p -> {
                        p.getSpec().getResources().getRequests().put("storage", want);
                        return p;
                    });
            Events.normal(client, cr, "VolumeExpansion", "requested " + want + " for " + pvcName + " (was " + has + ")");
            return null;
        } catch (KubernetesClientException e) {
            String why = "cannot grow " + pvcName + " to " + want + ": "
                    + (e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage());
            Events.warning(client, cr, "VolumeExpansionFailed", why);
            return why;
        }
    }
}
