package io.rocketcluster.it;

import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ACL administration with the official mqadmin, signing with the keys of its conf/tools.yml: an admin
 * account creates an account that the official client then uses, reads the file's version, changes the
 * global white list and deletes the account; a non-admin account is refused, and so is an unsigned tool.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AclAdminTest {
    private static final String ACL = """
            accounts:
              - accessKey: adminKey1
                secretKey: adminSecret
                admin: true
              - accessKey: plainUser
                secretKey: plainSecret
                defaultTopicPerm: PUB
                defaultGroupPerm: SUB
            """;

    private static LocalCluster cluster;
    private static LocalCluster.BrokerNode broker;
    private static Path aclFile;
    private static MqAdmin mqadmin;

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster("acl-admin");
        cluster.startNamesrv();
        aclFile = cluster.work().resolve("plain_acl.yml");
        Files.writeString(aclFile, ACL);
        broker = cluster.broker("broker-a", 0, Map.of("aclEnable", "true")).start();
        mqadmin = new MqAdmin(cluster.work(), cluster.namesrvAddr());
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @Test
    @Order(1)
    void anAdminCreatesAnAccountThatTheClientThenUses() throws Exception {
        mqadmin.credentials("adminKey1", "adminSecret");
        MqAdmin.Result created = mqadmin.run("updateAclConfig", "-b", broker.addr(), "-a", "newProducer",
                "-s", "newSecret1", "-i", "DENY", "-u", "SUB", "-t", "AclAdminTopic=PUB");
        assertThat(created.stdout()).as(created.toString()).contains("create or update plain access config to "
                + broker.addr() + " success");
        assertThat(Files.readString(aclFile)).contains("newProducer").contains("AclAdminTopic=PUB");

        DefaultMQProducer producer = new DefaultMQProducer(Clients.unique("acl_admin_pg"),
                new AclClientRPCHook(new SessionCredentials("newProducer", "newSecret1")));
        producer.setNamesrvAddr(cluster.namesrvAddr());
        producer.setInstanceName(Clients.unique("p"));
        producer.start();
        try {
            assertThat(producer.send(Clients.message("AclAdminTopic", "T", "k")).getSendStatus())
                    .isEqualTo(SendStatus.SEND_OK);
        } finally {
            producer.shutdown();
        }

        MqAdmin.Result version = mqadmin.run("clusterAclConfigVersion", "-b", broker.addr());
        // one row per ACL file: cluster, broker, address, file, version counter (1: one change so far), time
        assertThat(version.rowsStartingWith("ItCluster", "broker-a", broker.addr(), aclFile.toAbsolutePath().toString()))
                .as(version.toString()).singleElement().satisfies(row -> assertThat(row[4]).isEqualTo("1"));
    }

    @Test
    @Order(2)
    void theGlobalWhiteListAndAccountsCanBeChangedAndDeleted() throws Exception {
        mqadmin.credentials("adminKey1", "adminSecret");
        MqAdmin.Result white = mqadmin.run("updateGlobalWhiteAddr", "-b", broker.addr(), "-g", "10.20.30.*");
        assertThat(white.stdout()).as(white.toString()).contains("update global white remote addresses to "
                + broker.addr() + " success");
        assertThat(Files.readString(aclFile)).contains("10.20.30.*");

        MqAdmin.Result deleted = mqadmin.run("deleteAccessConfig", "-b", broker.addr(), "-a", "newProducer");
        assertThat(deleted.stdout()).as(deleted.toString()).contains("success");
        assertThat(Files.readString(aclFile)).doesNotContain("newProducer");
    }

    @Test
    @Order(3)
    void aNonAdminAccountAndAnUnsignedToolAreRefused() throws Exception {
        mqadmin.credentials("plainUser", "plainSecret");
        MqAdmin.Result refused = mqadmin.run("updateAclConfig", "-b", broker.addr(), "-a", "sneakyKey",
                "-s", "sneakySecret", "-m", "true");
        assertThat(refused.stdout() + refused.stderr()).as(refused.toString())
                .contains("Need admin permission for request code=50, but accessKey=plainUser is not");
        mqadmin.credentials(null, null);
        MqAdmin.Result unsigned = mqadmin.run("updateTopic", "-b", broker.addr(), "-t", "Unsigned");
        assertThat(unsigned.stdout() + unsigned.stderr()).as(unsigned.toString()).contains("No accessKey is configured");
        assertThat(Files.readString(aclFile)).doesNotContain("sneakyKey");
    }

    @Test
    @Order(4)
    void binMqadminSignsWithFlagsEnvironmentOrToolsYml() throws Exception {
        String namesrv = cluster.namesrvAddr();
        AdminCli.Run unsigned = AdminCli.run(cluster.work(), namesrv, Map.of(), "updateTopic", "-b", broker.addr(),
                "-t", "CliUnsigned");
        assertThat(unsigned.exit()).as(unsigned.toString()).isEqualTo(1);
        assertThat(unsigned.err() + unsigned.out()).contains("No accessKey is configured");

        AdminCli.Run flags = AdminCli.run(cluster.work(), namesrv, Map.of(), "updateTopic", "-b", broker.addr(),
                "-t", "CliFlags", "--access-key", "adminKey1", "--secret-key", "adminSecret");
        assertThat(flags.exit()).as(flags.toString()).isZero();

        AdminCli.Run env = AdminCli.run(cluster.work(), namesrv, Map.of("ROCKETMQ_ACCESS_KEY", "adminKey1",
                "ROCKETMQ_SECRET_KEY", "adminSecret"), "updateTopic", "-b", broker.addr(), "-t", "CliEnv");
        assertThat(env.exit()).as(env.toString()).isZero();

        Path home = Files.createDirectories(cluster.work().resolve("cli-home").resolve("conf")).getParent();
        Files.writeString(home.resolve("conf").resolve("tools.yml"), "accessKey: plainUser\nsecretKey: plainSecret\n");
        AdminCli.Run notAdmin = AdminCli.run(cluster.work(), namesrv, Map.of("ROCKETMQ_HOME", home.toString()),
                "updateTopic", "-b", broker.addr(), "-t", "CliTools");
        assertThat(notAdmin.exit()).as(notAdmin.toString()).isEqualTo(1);
        assertThat(notAdmin.err() + notAdmin.out()).contains("Need admin permission for request code=17, but accessKey=plainUser");
    }
}
