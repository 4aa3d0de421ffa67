package io.rocketcluster.broker.acl;

import io.rocketcluster.remoting.acl.PlainAclFile;
import io.rocketcluster.broker.config.BrokerConfig;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Hostile values in ACL administration requests are refused with RocketMQ's codes, and the file is left as it was. */
class AclAdminProcessorTest {
    @TempDir
    Path dir;

    private AclAdminProcessor processor(Path file) throws Exception {
        Files.writeString(file, "accounts:\n  - accessKey: adminKey1\n    secretKey: adminSecret\n    admin: true\n");
        return new AclAdminProcessor(PlainAclFile.load(List.of(file)), new BrokerConfig(), () -> 1_700_000_000_000L);
    }

    private static RemotingCommand update(String accessKey, String secretKey) {
        return RemotingCommand.request(AclRequestCodes.UPDATE_AND_CREATE_ACL_CONFIG).put("accessKey", accessKey)
                .put("secretKey", secretKey).put("admin", "false");
    }

    @Test
    void badAccountsPermissionsAndAddressesChangeNothing() throws Exception {
        Path file = dir.resolve("plain_acl.yml");
        AclAdminProcessor p = processor(file);
        String before = Files.readString(file);
        assertThat(p.process(null, update("", "someSecret1")).code()).isEqualTo(209);
        assertThat(p.process(null, update("shortK", "someSecret1")).code()).isEqualTo(209);
        assertThat(p.process(null, update("goodKey1", "x".repeat(3))).code()).isEqualTo(209);
        assertThat(p.process(null, update("goodKey1", "someSecret1").put("topicPerms", "a=b=c")).code()).isEqualTo(209);
        assertThat(p.process(null, update("goodKey1", "someSecret1").put("topicPerms", "Orders=ALL")).remark())
                .contains("Parse resource permission error for Orders=ALL");
        assertThat(p.process(null, update("goodKey1", "someSecret1").put("whiteRemoteAddress", "999.1.1.1")).code())
                .isEqualTo(209);
        RemotingCommand white = RemotingCommand.request(AclRequestCodes.UPDATE_GLOBAL_WHITE_ADDRS_CONFIG)
                .put("globalWhiteAddrs", "10.0.0.*").put("aclFileFullPath", "../../../etc/passwd");
        assertThat(p.process(null, white).code()).isEqualTo(211);
        RemotingCommand badWhite = RemotingCommand.request(AclRequestCodes.UPDATE_GLOBAL_WHITE_ADDRS_CONFIG)
                .put("globalWhiteAddrs", "10.0.0.1,2,3");
        assertThat(p.process(null, badWhite).code()).isEqualTo(211);
        RemotingCommand delete = RemotingCommand.request(AclRequestCodes.DELETE_ACL_CONFIG).put("accessKey", "nobody99");
        assertThat(p.process(null, delete).code()).isEqualTo(210);
        assertThat(Files.readString(file)).isEqualTo(before);
        assertThat(p.process(null, update("goodKey1", "someSecret1").put("topicPerms", "Orders=PUB")).code()).isZero();
        assertThat(Files.readString(file)).contains("goodKey1").contains("Orders=PUB");
    }

    @Test
    void withAclOffEveryAdministrationRequestIsRefusedNamingTheKey() throws Exception {
        AclAdminProcessor off = new AclAdminProcessor(null, new BrokerConfig(), System::currentTimeMillis);
        for (int code : AclAdminProcessor.codes()) {
            RemotingCommand r = off.process(null, RemotingCommand.request(code));
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.remark()).contains("aclEnable=false");
        }
    }
}
