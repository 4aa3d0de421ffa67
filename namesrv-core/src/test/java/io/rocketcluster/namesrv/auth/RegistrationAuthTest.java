package io.rocketcluster.namesrv.auth;

import io.rocketcluster.namesrv.NamesrvConfiguration;
import io.rocketcluster.namesrv.NamesrvController;
import io.rocketcluster.remoting.acl.AclCredentials;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.RegisterBrokerBody;
import io.rocketcluster.remoting.netty.NettyRemotingClient;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * registrationAuthEnable=true: only requests signed by an admin account of the nameserver's plain_acl.yml
 * may register or unregister brokers, write KV config, delete topics, change write permission or the
 * nameserver's config; route reads stay open; edits of the file apply without a restart.
 */
class RegistrationAuthTest {
    private static final String ACL = """
            accounts:
              - accessKey: brokerAdmin
                secretKey: brokerAdminSecret
                admin: true
              - accessKey: appUser1
                secretKey: appUserSecret
                admin: false
            """;
    @TempDir
    Path dir;
    private NamesrvController namesrv;
    private NettyRemotingClient client;
    private String addr;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (namesrv != null) {
            namesrv.close();
        }
    }

    private void start(String extraConf) throws Exception {
        Files.writeString(dir.resolve("plain_acl.yml"), ACL);
        Path conf = Files.writeString(dir.resolve("namesrv.conf"), "listenPort=0\nmetricsPort=0\nkvConfigPath="
                + dir.resolve("kvConfig.json") + "\n" + extraConf);
        NamesrvConfiguration configuration = NamesrvConfiguration.defaults();
        configuration.applyFile(conf);
        namesrv = new NamesrvController(configuration);
        namesrv.start();
        addr = "127.0.0.1:" + namesrv.listenPort();
        client = new NettyRemotingClient("registration-auth-test");
    }

    private static RemotingCommand register(String brokerName) {
        RegisterBrokerBody b = new RegisterBrokerBody();
        byte[] body = Json.encode(b);
        CRC32 crc = new CRC32();
        crc.update(body);
        return RemotingCommand.request(RequestCode.REGISTER_BROKER).put("brokerName", brokerName)
                .put("brokerAddr", "127.0.0.1:10911").put("clusterName", "c").put("haServerAddr", "127.0.0.1:10912")
                .put("brokerId", 0).put("compressed", false).put("bodyCrc32", (int) (crc.getValue() & 0x7FFFFFFF))
                .body(body);
    }

    private RemotingCommand call(RemotingCommand request, AclCredentials signer) throws Exception {
        if (signer != null) {
            signer.sign(request);
        }
        return client.invokeSync(addr, request, 5000);
    }

    private String clusterInfo() throws Exception {
        RemotingCommand r = call(RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO), null);
        assertThat(r.code()).isEqualTo(ResponseCode.SUCCESS);
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void onlyAnAdminSignatureRegistersAndReadsStayOpen() throws Exception {
        start("registrationAuthEnable=true\n");
        RemotingCommand unsigned = call(register("fake-master"), null);
        assertThat(unsigned.code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        assertThat(unsigned.remark()).contains("No accessKey is configured", "registrationAuthEnable=true");
        RemotingCommand notAdmin = call(register("fake-master"), new AclCredentials("appUser1", "appUserSecret"));
        assertThat(notAdmin.remark()).contains("Need admin permission for request code=103");
        RemotingCommand badSecret = call(register("fake-master"), new AclCredentials("brokerAdmin", "guessedSecret"));
        assertThat(badSecret.remark()).contains("Check signature failed for accessKey=brokerAdmin");
        RemotingCommand unknown = call(register("fake-master"), new AclCredentials("nobodyAtAll", "whatever1"));
        assertThat(unknown.remark()).contains("No acl config for nobodyAtAll");
        assertThat(clusterInfo()).doesNotContain("fake-master");

        assertThat(call(register("broker-a"), new AclCredentials("brokerAdmin", "brokerAdminSecret")).code())
                .isEqualTo(ResponseCode.SUCCESS);
        assertThat(clusterInfo()).contains("broker-a");

        RemotingCommand unregister = RemotingCommand.request(RequestCode.UNREGISTER_BROKER).put("brokerName", "broker-a")
                .put("brokerAddr", "127.0.0.1:10911").put("clusterName", "c").put("brokerId", 0);
        assertThat(call(unregister, null).code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        assertThat(clusterInfo()).contains("broker-a");

        RemotingCommand putKv = RemotingCommand.request(RequestCode.PUT_KV_CONFIG).put("namespace", "ORDER_TOPIC_CONFIG")
                .put("key", "T").put("value", "broker-a:4");
        assertThat(call(putKv, null).code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        RemotingCommand wipe = RemotingCommand.request(RequestCode.WIPE_WRITE_PERM_OF_BROKER).put("brokerName", "broker-a");
        assertThat(call(wipe, null).code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        RemotingCommand route = call(RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC).put("topic", "T"), null);
        assertThat(route.code()).as("reads are not guarded").isEqualTo(ResponseCode.TOPIC_NOT_EXIST);
    }

    @Test
    void theSwitchCannotBeTurnedOffAtRunTime() throws Exception {
        start("registrationAuthEnable=true\n");
        RemotingCommand off = RemotingCommand.request(RequestCode.UPDATE_NAMESRV_CONFIG)
                .body("registrationAuthEnable=false".getBytes(StandardCharsets.UTF_8));
        assertThat(call(off, null).code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        RemotingCommand signedOff = RemotingCommand.request(RequestCode.UPDATE_NAMESRV_CONFIG)
                .body("registrationAuthEnable=false".getBytes(StandardCharsets.UTF_8));
        assertThat(call(signedOff, new AclCredentials("brokerAdmin", "brokerAdminSecret")).code())
                .isEqualTo(ResponseCode.NO_PERMISSION);
        assertThat(call(register("fake-master"), null).code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
    }

    @Test
    void offByDefaultSoApacheBrokersStillRegister() throws Exception {
        start("");
        assertThat(call(register("apache-broker"), null).code()).isEqualTo(ResponseCode.SUCCESS);
    }

    @Test
    void accountEditsApplyWithoutARestart() throws Exception {
        start("registrationAuthEnable=true\n");
        AclCredentials newcomer = new AclCredentials("newBroker", "newBrokerSecret");
        assertThat(call(register("broker-b"), newcomer).code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        Files.writeString(dir.resolve("plain_acl.yml"), ACL + """
                  - accessKey: newBroker
                    secretKey: newBrokerSecret
                    admin: true
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> call(register("broker-b"), newcomer).code() == ResponseCode.SUCCESS);
    }

    @Test
    void withoutAnAccountsFileTheNameserverDoesNotStart() throws Exception {
        Path conf = Files.writeString(dir.resolve("namesrv.conf"), "listenPort=0\nmetricsPort=0\nrocketmqHome=" + dir
                + "/nohome\nregistrationAuthEnable=true\n");
        NamesrvConfiguration configuration = NamesrvConfiguration.defaults();
        configuration.applyFile(conf);
        namesrv = new NamesrvController(configuration);
        assertThatThrownBy(namesrv::start).hasMessageContaining("registrationAuthEnable=true but no plain_acl.yml");
    }
}
