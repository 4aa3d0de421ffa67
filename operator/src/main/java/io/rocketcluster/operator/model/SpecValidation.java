package io.rocketcluster.operator.model;

import io.rocketcluster.operator.crd.BrokerSpec;
import io.rocketcluster.operator.crd.ExternalAccessSpec;
import io.rocketcluster.operator.crd.RocketCluster;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What the CRD schema cannot say: rules across fields. A cluster with problems is left as it is and
 * the problems are written to its status.
 */
public final class SpecValidation {
    /** RFC 1035 label, what a Service name must be. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    /** A broker.conf property name (a setter of the broker's config beans): nothing Properties would split. */
    private static final Pattern CONFIG_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.]*");

    private SpecValidation() {
    }

    public static List<String> problems(RocketCluster cr) {
        List<String> p = new ArrayList<>();
        String name = cr.getMetadata().getName();
        if (!DNS_LABEL.matcher(name).matches()) {
            p.add("metadata.name '" + name + "' must be a DNS label (lower-case letters, digits and '-', starting with"
                    + " a letter, ending with a letter or digit): it names Services and StatefulSets");
        }
        if (name.length() > Names.MAX_CLUSTER_NAME) {
            p.add("metadata.name '" + name + "' is longer than " + Names.MAX_CLUSTER_NAME
                    + " characters (the broker StatefulSet names derived from it must stay within Kubernetes' limits)");
        }
        BrokerSpec b = cr.getSpec().getBroker();
        if (b.getGroups() < 1) {
            p.add("spec.broker.groups must be at least 1");
        }
        if (b.getSlavesPerGroup() < 0) {
            p.add("spec.broker.slavesPerGroup must not be negative");
        }
        if (b.getBrokerRole() == BrokerSpec.BrokerRole.SYNC_MASTER && b.getSlavesPerGroup() < 1) {
            p.add("spec.broker.brokerRole SYNC_MASTER needs spec.broker.slavesPerGroup >= 1 "
                    + "(a SYNC_MASTER without a slave answers every send with SLAVE_NOT_AVAILABLE)");
        }
        if (cr.getSpec().getNameServer().getReplicas() < 1) {
            p.add("spec.nameServer.replicas must be at least 1");
        }
        if (b.getConfig() != null) {
            TreeSet<String> reserved = new TreeSet<>(b.getConfig().keySet());
            reserved.retainAll(BrokerConf.RESERVED);
            if (!reserved.isEmpty()) {
                p.add("spec.broker.config may not set " + String.join(", ", reserved)
                        + ": the operator sets these from the spec (use the spec fields instead)");
            }
            b.getConfig().forEach((k, v) -> {
                if (!isConfigKey(k)) {
                    p.add("spec.broker.config key '" + k + "' is not a broker.conf property name (letters, digits, '_', '.')");
                }
                if (v == null || v.contains("\n") || v.contains("\r")) {
                    p.add("spec.broker.config." + k + " must be a single-line value");
                }
            });
        }
        ExternalAccessSpec ext = cr.getSpec().getExternalAccess();
        if (ext.enabled()) {
            if (ext.getAdvertisedHost() == null || ext.getAdvertisedHost().isBlank()) {
                p.add("spec.externalAccess.advertisedHost is required when type is NodePort");
            }
            if (ExternalPorts.highest(cr) > 32767) {
                p.add("spec.externalAccess.brokerNodePortBase " + ext.getBrokerNodePortBase()
                        + " leaves no room below 32767 for the brokers' NodePorts (" + b.getGroups()
                        + " groups, 27 ports each: up to " + ExternalPorts.highest(cr) + ")");
            }
            int nsPort = ext.getNameServerNodePort();
            if (nsPort >= ext.getBrokerNodePortBase() && nsPort <= ExternalPorts.highest(cr)) {
                p.add("spec.externalAccess.nameServerNodePort " + nsPort + " lies in the brokers' NodePort range "
                        + ext.getBrokerNodePortBase() + "-" + ExternalPorts.highest(cr));
            }
        }
        return p;
    }

    static boolean isConfigKey(String key) {
        return key != null && CONFIG_KEY.matcher(key).matches();
    }
}
