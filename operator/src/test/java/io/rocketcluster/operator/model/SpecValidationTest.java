package io.rocketcluster.operator.model;

import io.rocketcluster.operator.crd.BrokerSpec;
import io.rocketcluster.operator.crd.ExternalAccessSpec;
import io.rocketcluster.operator.crd.RocketCluster;
import org.junit.jupiter.api.Test;

import static io.rocketcluster.operator.model.Fixtures.cluster;
import static org.assertj.core.api.Assertions.assertThat;

class SpecValidationTest {

    @Test
    void defaultSpecHasNoProblems() {
        assertThat(SpecValidation.problems(cluster())).isEmpty();
    }

    @Test
    void nameAtTheLimitIsFineOneMoreIsTooLong() {
        assertThat(SpecValidation.problems(cluster("a".repeat(30)))).isEmpty();
        String name = "b".repeat(31);
        assertThat(SpecValidation.problems(cluster(name))).containsExactly("metadata.name '" + name
                + "' is longer than 30 characters (the broker StatefulSet names derived from it must stay within Kubernetes' limits)");
    }

    @Test
    void theNameMustBeADnsLabelSinceItNamesServices() {
        for (String bad : new String[] {"my.rc", "1rc", "Rc", "rc-"}) {
            RocketCluster cr = cluster();
            cr.getMetadata().setName(bad);
            assertThat(SpecValidation.problems(cr)).as(bad).anySatisfy(p -> assertThat(p).contains("must be a DNS label"));
        }
    }

    @Test
    void syncMasterNeedsASlave() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().setBrokerRole(BrokerSpec.BrokerRole.SYNC_MASTER);
        assertThat(SpecValidation.problems(cr)).isEmpty();
        cr.getSpec().getBroker().setSlavesPerGroup(0);
        assertThat(SpecValidation.problems(cr)).singleElement().asString()
                .startsWith("spec.broker.brokerRole SYNC_MASTER needs spec.broker.slavesPerGroup >= 1");
        cr.getSpec().getBroker().setBrokerRole(BrokerSpec.BrokerRole.ASYNC_MASTER);
        assertThat(SpecValidation.problems(cr)).isEmpty();
    }

    @Test
    void reservedConfigKeysAreRefusedByName() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().getConfig().put("deleteWhen", "04");
        assertThat(SpecValidation.problems(cr)).isEmpty();
        cr.getSpec().getBroker().getConfig().put("namesrvAddr", "x:9876");
        cr.getSpec().getBroker().getConfig().put("brokerId", "3");
        assertThat(SpecValidation.problems(cr)).containsExactly("spec.broker.config may not set brokerId, namesrvAddr:"
                + " the operator sets these from the spec (use the spec fields instead)");
    }

    @Test
    void multiLineConfigValuesAreRefused() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().getConfig().put("deleteWhen", "04\nbrokerId=3");
        assertThat(SpecValidation.problems(cr)).containsExactly("spec.broker.config.deleteWhen must be a single-line value");
    }

    @Test
    void nodePortNeedsAnAdvertisedHost() {
        RocketCluster cr = cluster();
        cr.getSpec().getExternalAccess().setType(ExternalAccessSpec.Type.NodePort);
        assertThat(SpecValidation.problems(cr)).containsExactly(
                "spec.externalAccess.advertisedHost is required when type is NodePort");
        cr.getSpec().getExternalAccess().setAdvertisedHost(" ");
        assertThat(SpecValidation.problems(cr)).hasSize(1);
        cr.getSpec().getExternalAccess().setAdvertisedHost("mq.example.com");
        assertThat(SpecValidation.problems(cr)).isEmpty();
        // without external access the host is not needed
        RocketCluster none = cluster();
        none.getSpec().getExternalAccess().setType(ExternalAccessSpec.Type.None);
        assertThat(SpecValidation.problems(none)).isEmpty();
    }

    @Test
    void brokerNodePortsMustStayInTheNodePortRange() {
        RocketCluster cr = cluster();
        cr.getSpec().getExternalAccess().setType(ExternalAccessSpec.Type.NodePort);
        cr.getSpec().getExternalAccess().setAdvertisedHost("mq.example.com");
        cr.getSpec().getBroker().setGroups(4);
        cr.getSpec().getBroker().setSlavesPerGroup(1);
        // the last broker is group 3's slave 1, k = 3*9 + 1 = 28: the highest port is base + 3*28 + 2 = base + 86
        cr.getSpec().getExternalAccess().setBrokerNodePortBase(32767 - 86);
        assertThat(ExternalPorts.highest(cr)).isEqualTo(32767);
        assertThat(SpecValidation.problems(cr)).isEmpty();
        cr.getSpec().getExternalAccess().setBrokerNodePortBase(32767 - 85);
        assertThat(SpecValidation.problems(cr)).containsExactly("spec.externalAccess.brokerNodePortBase 32682"
                + " leaves no room below 32767 for the brokers' NodePorts (4 groups, 27 ports each: up to 32768)");
    }

    @Test
    void nodePortRangeIsOnlyCheckedWithExternalAccess() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().setGroups(64);
        cr.getSpec().getBroker().setSlavesPerGroup(8);
        cr.getSpec().getExternalAccess().setBrokerNodePortBase(32767);
        assertThat(SpecValidation.problems(cr)).isEmpty();
    }

    /** The nameserver's NodePort must not be one of the brokers' NodePorts: the second Service would be refused. */
    @Test
    void nameserverNodePortMustNotCollideWithABrokerNodePort() {
        RocketCluster cr = cluster();
        cr.getSpec().getExternalAccess().setType(ExternalAccessSpec.Type.NodePort);
        cr.getSpec().getExternalAccess().setAdvertisedHost("mq.example.com");
        cr.getSpec().getExternalAccess().setNameServerNodePort(30902); // broker-0 master's client port
        assertThat(SpecValidation.problems(cr)).isNotEmpty();
    }

    @Test
    void problemsFromTheJavaApiThatTheSchemaAlsoCatches() {
        RocketCluster cr = cluster();
        cr.getSpec().getBroker().setGroups(0);
        cr.getSpec().getBroker().setSlavesPerGroup(-1);
        cr.getSpec().getNameServer().setReplicas(0);
        assertThat(SpecValidation.problems(cr)).containsExactly(
                "spec.broker.groups must be at least 1",
                "spec.broker.slavesPerGroup must not be negative",
                "spec.nameServer.replicas must be at least 1");
    }

    @Test
    void severalProblemsAreAllReported() {
        RocketCluster cr = cluster("x".repeat(40));
        cr.getSpec().getBroker().setBrokerRole(BrokerSpec.BrokerRole.SYNC_MASTER);
        cr.getSpec().getBroker().setSlavesPerGroup(0);
        cr.getSpec().getBroker().getConfig().put("brokerRole", "SLAVE");
        cr.getSpec().getExternalAccess().setType(ExternalAccessSpec.Type.NodePort);
        assertThat(SpecValidation.problems(cr)).hasSize(4);
    }
}
