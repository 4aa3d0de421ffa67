package io.rocketcluster.operator.model;

import io.rocketcluster.operator.crd.BrokerSpec;
import io.rocketcluster.operator.crd.RocketCluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Renders one broker's broker.conf (java.util.Properties syntax, the file mqbroker -c reads). */
public final class BrokerConf {
    /** Where the broker keeps its store: the persistent volume. */
    public static final String STORE_ROOT = "/var/lib/rocketcluster/store";

    /** brokerPermission of a draining group: readable, not writable. */
    public static final int READ_ONLY_PERMISSION = 4;

    /** Keys the operator sets itself; spec.broker.config may not set them. */
    public static final Set<String> RESERVED = Set.of("brokerClusterName", "brokerName", "brokerId", "brokerRole",
            "flushDiskType", "namesrvAddr", "brokerIP1", "brokerIP2", "listenPort", "haListenPort",
            "haMasterAddress", "storePathRootDir", "storePathCommitLog", "brokerExternalAddr", "metricsPort");

    private BrokerConf() {
    }

    /** The entries of broker {@code brokerId} (0 = master) of group {@code group}, in file order. */
    public static Map<String, String> entries(RocketCluster cr, int group, int brokerId) {
        Names names = new Names(cr);
        BrokerSpec b = cr.getSpec().getBroker();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("brokerClusterName", b.getClusterName());
        m.put("brokerName", Names.brokerName(group));
        m.put("brokerId", Integer.toString(brokerId));
        m.put("brokerRole", brokerId == 0 ? b.getBrokerRole().name() : "SLAVE");
        m.put("flushDiskType", b.getFlushDiskType().name());
        m.put("namesrvAddr", names.nameServerAddressForBrokers());
        m.put("brokerIP1", names.brokerHost(group, brokerId));
        m.put("brokerIP2", names.brokerHost(group, brokerId));
        m.put("listenPort", Integer.toString(Names.BROKER_PORT));
        m.put("storePathRootDir", STORE_ROOT);
        ExternalPorts.forBroker(cr, group, brokerId).ifPresent(p ->
                m.put("brokerExternalAddr", cr.getSpec().getExternalAccess().getAdvertisedHost() + ":" + p.client()));
        if (b.getConfig() != null) {
            new TreeMap<>(b.getConfig()).forEach((k, v) -> {
                if (!RESERVED.contains(k) && SpecValidation.isConfigKey(k)) {
                    m.put(k, v);
                }
            });
        }
        if (group >= b.getGroups()) {
            // a group being scaled in: read-only, so that its consumers can drain it (also after a restart)
            m.put("brokerPermission", Integer.toString(READ_ONLY_PERMISSION));
        }
        return m;
    }

    /** The file text: a header naming the cluster, then one {@code key=value} line per entry. */
    public static String render(RocketCluster cr, int group, int brokerId) {
        StringBuilder sb = new StringBuilder();
        sb.append("# broker.conf of ").append(Names.brokerName(group)).append(brokerId == 0 ? " master" : " slave " + brokerId)
                .append(" in RocketCluster ").append(cr.getMetadata().getNamespace()).append('/')
                .append(cr.getMetadata().getName()).append(", written by the RocketCluster operator\n");
        entries(cr, group, brokerId).forEach((k, v) -> sb.append(k).append('=').append(escape(v)).append('\n'));
        return sb.toString();
    }

    /** A short stable hash of a text (pod annotation that rolls pods when their config changes). */
    public static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A value as java.util.Properties reads it back: backslash, line breaks and every character
     * beyond ASCII escaped (the broker reads broker.conf as ISO-8859-1, the ConfigMap is UTF-8).
     */
    static String escape(String v) {
        StringBuilder sb = new StringBuilder(v.length());
        for (char c : v.toCharArray()) {
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c > 0x7E) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
