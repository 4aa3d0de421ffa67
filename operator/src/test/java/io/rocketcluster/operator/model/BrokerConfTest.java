package io.rocketcluster.operator.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.rocketcluster.operator.crd.BrokerSpec;
import io.rocketcluster.operator.crd.ExternalAccessSpec;
import io.rocketcluster.operator.crd.RocketCluster;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static io.rocketcluster.operator.model.Fixtures.NS;
import static io.rocketcluster.operator.model.Fixtures.cluster;
import static io.rocketcluster.operator.model.Fixtures.configHash;
import static io.rocketcluster.operator.model.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

class BrokerConfTest {

    private static RocketCluster twoGroupsTwoSlaves() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().setGroups(2);
        cr.getSpec().getBroker().setSlavesPerGroup(2);
        return cr;
    }

    private static Properties conf(ConfigMap cm, String key) {
        assertThat(cm.getData()).containsKey(key);
        return parse(cm.getData().get(key));
    }

    @Test
    void configMapHasOneKeyPerBroker() {
        ConfigMap cm = BrokerModel.configMap(twoGroupsTwoSlaves(), 2);
        assertThat(cm.getMetadata().getName()).isEqualTo("demo-broker-config");
        assertThat(cm.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(cm.getData()).containsOnlyKeys(
                "broker-0-master.conf", "broker-0-slave-1.conf", "broker-0-slave-2.conf",
                "broker-1-master.conf", "broker-1-slave-1.conf", "broker-1-slave-2.conf");
    }

    @Test
    void masterAndSlaveConf() {
        RocketCluster cr = twoGroupsTwoSlaves();
        cr.getSpec().getBroker().setClusterName("OrdersCluster");
        cr.getSpec().getBroker().setFlushDiskType(BrokerSpec.FlushDiskType.SYNC_FLUSH);
        ConfigMap cm = BrokerModel.configMap(cr, 2);

        Properties m = conf(cm, "broker-1-master.conf");
        assertThat(m.getProperty("brokerClusterName")).isEqualTo("OrdersCluster");
        assertThat(m.getProperty("brokerName")).isEqualTo("broker-1");
        assertThat(m.getProperty("brokerId")).isEqualTo("0");
        assertThat(m.getProperty("brokerRole")).isEqualTo("ASYNC_MASTER");
        assertThat(m.getProperty("flushDiskType")).isEqualTo("SYNC_FLUSH");
        assertThat(m.getProperty("namesrvAddr")).isEqualTo("demo-namesrv-headless.mq.svc.cluster.local:9876");
        assertThat(m.getProperty("brokerIP1")).isEqualTo("demo-broker-1-master-0.demo-broker-1.mq.svc.cluster.local");
        assertThat(m.getProperty("brokerIP2")).isEqualTo(m.getProperty("brokerIP1"));
        assertThat(m.getProperty("listenPort")).isEqualTo("10911");
        assertThat(m.getProperty("storePathRootDir")).isEqualTo("/var/lib/rocketcluster/store");
        assertThat(m.getProperty("brokerExternalAddr")).isNull();
        assertThat(m.getProperty("brokerPermission")).isNull();

        Properties s = conf(cm, "broker-1-slave-2.conf");
        assertThat(s.getProperty("brokerName")).isEqualTo("broker-1");
        assertThat(s.getProperty("brokerId")).isEqualTo("2");
        assertThat(s.getProperty("brokerRole")).isEqualTo("SLAVE");
        assertThat(s.getProperty("flushDiskType")).isEqualTo("SYNC_FLUSH");
        assertThat(s.getProperty("namesrvAddr")).isEqualTo("demo-namesrv-headless.mq.svc.cluster.local:9876");
        assertThat(s.getProperty("brokerIP1")).isEqualTo("demo-broker-1-slave-2-0.demo-broker-1.mq.svc.cluster.local");
        assertThat(s.getProperty("brokerIP2")).isEqualTo(s.getProperty("brokerIP1"));
        assertThat(s.getProperty("storePathRootDir")).isEqualTo("/var/lib/rocketcluster/store");
    }

    @Test
    void brokerHostIsTheStatefulSetPodsDnsNameUnderTheGroupService() {
        RocketCluster cr = twoGroupsTwoSlaves();
        cr.getSpec().setClusterDomain("k8s.internal");
        StatefulSet sts = BrokerModel.statefulSet(cr, 0, 1);
        String expected = sts.getMetadata().getName() + "-0." + sts.getSpec().getServiceName() + "." + NS + ".svc.k8s.internal";
        assertThat(parse(BrokerConf.render(cr, 0, 1)).getProperty("brokerIP1")).isEqualTo(expected)
                .isEqualTo("demo-broker-0-slave-1-0.demo-broker-0.mq.svc.k8s.internal");
        assertThat(parse(BrokerConf.render(cr, 0, 1)).getProperty("namesrvAddr"))
                .isEqualTo("demo-namesrv-headless.mq.svc.k8s.internal:9876");
    }

    @Test
    void syncMasterRole() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().setBrokerRole(BrokerSpec.BrokerRole.SYNC_MASTER);
        ConfigMap cm = BrokerModel.configMap(cr, 1);
        assertThat(conf(cm, "broker-0-master.conf").getProperty("brokerRole")).isEqualTo("SYNC_MASTER");
        assertThat(conf(cm, "broker-0-slave-1.conf").getProperty("brokerRole")).isEqualTo("SLAVE");
        assertThat(conf(cm, "broker-0-master.conf").getProperty("flushDiskType")).isEqualTo("ASYNC_FLUSH");
    }

    @Test
    void extraConfigIsCarriedOverAndReservedKeysAreNotOverridable() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().getConfig().put("deleteWhen", "04");
        cr.getSpec().getBroker().getConfig().put("fileReservedTime", "48");
        cr.getSpec().getBroker().getConfig().put("brokerId", "7");
        cr.getSpec().getBroker().getConfig().put("brokerRole", "SYNC_MASTER");
        cr.getSpec().getBroker().getConfig().put("namesrvAddr", "evil:9876");
        cr.getSpec().getBroker().getConfig().put("storePathRootDir", "/tmp/store");
        cr.getSpec().getBroker().getConfig().put("msgPath", "C:\\store\\x");
        ConfigMap cm = BrokerModel.configMap(cr, 1);
        for (String key : cm.getData().keySet()) {
            Properties p = conf(cm, key);
            assertThat(p.getProperty("deleteWhen")).isEqualTo("04");
            assertThat(p.getProperty("fileReservedTime")).isEqualTo("48");
            assertThat(p.getProperty("msgPath")).as("backslashes survive the Properties escape").isEqualTo("C:\\store\\x");
            assertThat(p.getProperty("namesrvAddr")).isEqualTo("demo-namesrv-headless.mq.svc.cluster.local:9876");
            assertThat(p.getProperty("storePathRootDir")).isEqualTo("/var/lib/rocketcluster/store");
        }
        assertThat(conf(cm, "broker-0-master.conf").getProperty("brokerId")).isEqualTo("0");
        assertThat(conf(cm, "broker-0-master.conf").getProperty("brokerRole")).isEqualTo("ASYNC_MASTER");
        assertThat(conf(cm, "broker-0-slave-1.conf").getProperty("brokerId")).isEqualTo("1");
        assertThat(conf(cm, "broker-0-slave-1.conf").getProperty("brokerRole")).isEqualTo("SLAVE");
    }

    @Test
    void everyReservedKeyIsIgnoredInTheRenderedFile() {
        RocketCluster cr = cluster();
        for (String k : BrokerConf.RESERVED) {
            cr.getSpec().getBroker().getConfig().put(k, "user-" + k);
        }
        Properties p = parse(BrokerConf.render(cr, 0, 0));
        for (String k : BrokerConf.RESERVED) {
            assertThat(p.getProperty(k)).as(k).isNotEqualTo("user-" + k);
        }
    }

    /**
     * A carriage return is a line break for java.util.Properties, so a value containing one must not
     * start a new entry that overrides an operator-set key.
     */
    @Test
    void aCarriageReturnInAValueCannotInjectAReservedKey() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().getConfig().put("deleteWhen", "04\rbrokerId=5");
        Properties p = parse(BrokerConf.render(cr, 0, 0));
        assertThat(p.getProperty("brokerId")).isEqualTo("0");
        assertThat(p.getProperty("deleteWhen")).isEqualTo("04\rbrokerId=5");
    }

    /** The broker reads broker.conf as ISO-8859-1 while the ConfigMap is UTF-8: non-ASCII must be escaped. */
    @Test
    void nonAsciiValuesSurviveTheBrokersIso88591Read() throws Exception {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().getConfig().put("brokerClusterNameAlias", "Zürich \u2603");
        String text = BrokerConf.render(cr, 0, 0);
        assertThat(text).isEqualTo(new String(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                java.nio.charset.StandardCharsets.US_ASCII));
        Properties p = new Properties();
        p.load(new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(p.getProperty("brokerClusterNameAlias")).isEqualTo("Zürich \u2603");
    }

    /** Keys are written unescaped: a key with a line break (or '=' / ':' / blanks) breaks the file. */
    @Test
    void aLineBreakInAKeyCannotInjectAReservedKey() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().getConfig().put("deleteWhen\nbrokerRole", "SLAVE");
        cr.getSpec().getBroker().getConfig().put("a=b", "c");
        assertThat(parse(BrokerConf.render(cr, 0, 0)).getProperty("brokerRole")).isEqualTo("ASYNC_MASTER");
        assertThat(SpecValidation.problems(cr)).isNotEmpty();
    }

    @Test
    void externalAccessAddsBrokerExternalAddr() {
        RocketCluster cr = twoGroupsTwoSlaves();
        cr.getSpec().getExternalAccess().setType(ExternalAccessSpec.Type.NodePort);
        cr.getSpec().getExternalAccess().setAdvertisedHost("mq.example.com");
        ConfigMap cm = BrokerModel.configMap(cr, 2);
        // broker k = group * 9 + id; client port = 30900 + 3k + 2
        assertThat(conf(cm, "broker-0-master.conf").getProperty("brokerExternalAddr")).isEqualTo("mq.example.com:30902");
        assertThat(conf(cm, "broker-0-slave-2.conf").getProperty("brokerExternalAddr")).isEqualTo("mq.example.com:30908");
        assertThat(conf(cm, "broker-1-master.conf").getProperty("brokerExternalAddr")).isEqualTo("mq.example.com:30929");
        assertThat(conf(cm, "broker-1-slave-1.conf").getProperty("brokerExternalAddr")).isEqualTo("mq.example.com:30932");
        // fewer slaves per group move no broker's ports (an existing NodePort Service would clash)
        cr.getSpec().getBroker().setSlavesPerGroup(1);
        assertThat(conf(BrokerModel.configMap(cr, 2), "broker-1-master.conf").getProperty("brokerExternalAddr"))
                .isEqualTo("mq.example.com:30929");
        // the advertised addresses of in-cluster clients stay the DNS names
        assertThat(conf(cm, "broker-1-master.conf").getProperty("brokerIP1"))
                .isEqualTo("demo-broker-1-master-0.demo-broker-1.mq.svc.cluster.local");
    }

    @Test
    void drainingGroupsKeepTheirConfAndAreReadOnly() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().setGroups(1);
        ClusterModel model = ClusterModel.of(cr, 3);
        ConfigMap cm = (ConfigMap) model.shared().get(0);
        assertThat(cm.getData()).containsOnlyKeys("broker-0-master.conf", "broker-0-slave-1.conf",
                "broker-1-master.conf", "broker-1-slave-1.conf", "broker-2-master.conf", "broker-2-slave-1.conf");
        assertThat(conf(cm, "broker-0-master.conf").getProperty("brokerPermission")).isNull();
        assertThat(conf(cm, "broker-0-slave-1.conf").getProperty("brokerPermission")).isNull();
        for (String k : new String[]{"broker-1-master.conf", "broker-1-slave-1.conf", "broker-2-master.conf"}) {
            assertThat(conf(cm, k).getProperty("brokerPermission")).as(k).isEqualTo("4");
        }
        assertThat(conf(cm, "broker-2-master.conf").getProperty("brokerName")).isEqualTo("broker-2");
        // draining groups have no StatefulSets in the model
        assertThat(model.groups()).hasSize(1);
        // fewer config groups than spec groups changes nothing
        assertThat(((ConfigMap) ClusterModel.of(cr, 0).shared().get(0)).getData()).hasSize(2);
    }

    @Test
    void renderedFileNamesItsBrokerAndCluster() {
        String text = BrokerConf.render(cluster(), 0, 1);
        assertThat(text).startsWith("# broker.conf of broker-0 slave 1 in RocketCluster mq/demo");
        assertThat(text).contains("\nbrokerId=1\n").endsWith("\n");
    }

    // ---- config hash on the pod template ----

    private static Map<String, String> hashes(RocketCluster cr) {
        Map<String, String> m = new java.util.TreeMap<>();
        ClusterModel.of(cr).groups().forEach(g -> g.rolloutOrder().forEach(s -> m.put(s.getMetadata().getName(), configHash(s))));
        return m;
    }

    @Test
    void configHashIsTheHashOfTheBrokersOwnConf() {
        RocketCluster cr = twoGroupsTwoSlaves();
        StatefulSet s = BrokerModel.statefulSet(cr, 1, 2);
        assertThat(configHash(s)).isEqualTo(BrokerConf.hash(BrokerModel.configMap(cr, 2).getData().get("broker-1-slave-2.conf")))
                .matches("[0-9a-f]{16}");
        // every broker's file differs, so do the hashes
        assertThat(hashes(cr).values()).doesNotHaveDuplicates().hasSize(6);
        // stable
        assertThat(hashes(twoGroupsTwoSlaves())).isEqualTo(hashes(cr));
    }

    @Test
    void changingAnExtraConfigKeyChangesEveryBrokersHash() {
        RocketCluster before = twoGroupsTwoSlaves();
        RocketCluster after = twoGroupsTwoSlaves();
        after.getSpec().getBroker().getConfig().put("fileReservedTime", "24");
        Map<String, String> h0 = hashes(before);
        Map<String, String> h1 = hashes(after);
        assertThat(h1.keySet()).isEqualTo(h0.keySet());
        h0.forEach((name, hash) -> assertThat(h1.get(name)).as(name).isNotEqualTo(hash));
    }

    @Test
    void addingASlaveChangesNoExistingBrokersHash() {
        RocketCluster before = cluster();
        RocketCluster after = cluster();
        after.getSpec().getBroker().setSlavesPerGroup(2);
        Map<String, String> h0 = hashes(before);
        Map<String, String> h1 = hashes(after);
        assertThat(h0).containsOnlyKeys("demo-broker-0-master", "demo-broker-0-slave-1");
        assertThat(h1).containsOnlyKeys("demo-broker-0-master", "demo-broker-0-slave-1", "demo-broker-0-slave-2");
        assertThat(h1.get("demo-broker-0-master")).isEqualTo(h0.get("demo-broker-0-master"));
        assertThat(h1.get("demo-broker-0-slave-1")).isEqualTo(h0.get("demo-broker-0-slave-1"));
    }

    @Test
    void flushDiskTypeChangesEveryHashButNameserverReplicasNone() {
        RocketCluster before = twoGroupsTwoSlaves();
        RocketCluster flush = twoGroupsTwoSlaves();
        flush.getSpec().getBroker().setFlushDiskType(BrokerSpec.FlushDiskType.SYNC_FLUSH);
        RocketCluster ns = twoGroupsTwoSlaves();
        ns.getSpec().getNameServer().setReplicas(5);
        Map<String, String> h0 = hashes(before);
        hashes(flush).forEach((name, hash) -> assertThat(hash).as(name).isNotEqualTo(h0.get(name)));
        assertThat(hashes(ns)).isEqualTo(h0);
    }

    @Test
    void roleChangeChangesOnlyTheMastersHash() {
        RocketCluster before = twoGroupsTwoSlaves();
        RocketCluster after = twoGroupsTwoSlaves();
        after.getSpec().getBroker().setBrokerRole(BrokerSpec.BrokerRole.SYNC_MASTER);
        Map<String, String> h0 = hashes(before);
        Map<String, String> h1 = hashes(after);
        h0.forEach((name, hash) -> {
            if (name.endsWith("-master")) {
                assertThat(h1.get(name)).as(name).isNotEqualTo(hash);
            } else {
                assertThat(h1.get(name)).as(name).isEqualTo(hash);
            }
        });
    }
}
