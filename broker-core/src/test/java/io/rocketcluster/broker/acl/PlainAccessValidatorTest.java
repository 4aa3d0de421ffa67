package io.rocketcluster.broker.acl;

import io.rocketcluster.remoting.acl.PlainAclConfig;
import io.rocketcluster.remoting.acl.AclRules;
import io.rocketcluster.remoting.acl.AclSignature;

import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PlainAccessValidatorTest {
    private static final String YAML = """
            globalWhiteRemoteAddresses:
              - 10.10.103.*
            accounts:
              - accessKey: producerKey
                secretKey: producerSecret
                defaultTopicPerm: DENY
                defaultGroupPerm: SUB
                topicPerms:
                  - Orders=PUB
                  - Audit=PUB|SUB
              - accessKey: consumerKey
                secretKey: consumerSecret
                defaultTopicPerm: SUB
                groupPerms:
                  - billing=SUB
                  - blocked=DENY
              - accessKey: trustedKey
                secretKey: anything-at-all
                whiteRemoteAddress: 192.168.0.*
              - accessKey: adminKey
                secretKey: adminSecret
                admin: true
            """;

    private final PlainAccessValidator validator;

    PlainAccessValidatorTest() throws Exception {
        AclRules rules = AclRules.compile(PlainAclConfig.parse(YAML));
        validator = new PlainAccessValidator(() -> rules);
    }

    private static RemotingCommand signed(RemotingCommand request, String accessKey, String secretKey) {
        request.put(AclSignature.ACCESS_KEY, accessKey);
        request.put(AclSignature.SIGNATURE, AclSignature.sign(request.extFields(), request.body(), secretKey));
        return request;
    }

    private static RemotingCommand send(String topic) {
        return RemotingCommand.request(RequestCode.SEND_MESSAGE_V2).put("a", "pg").put("b", topic).put("c", "TBW102")
                .body("x".getBytes(StandardCharsets.UTF_8));
    }

    private static RemotingCommand pull(String group, String topic) {
        return RemotingCommand.request(RequestCode.PULL_MESSAGE).put("consumerGroup", group).put("topic", topic)
                .put("queueId", 0);
    }

    private String check(RemotingCommand request) {
        return validator.refusal("127.0.0.1", request);
    }

    @Test
    void aSignedRequestWithThePermissionPasses() {
        assertThat(check(signed(send("Orders"), "producerKey", "producerSecret"))).isNull();
        assertThat(check(signed(pull("billing", "Orders"), "consumerKey", "consumerSecret"))).isNull();
    }

    @Test
    void missingUnknownAndForgedCredentialsAreRefusedAsRocketMqWordsIt() {
        assertThat(check(send("Orders"))).isEqualTo("org.apache.rocketmq.acl.common.AclException: No accessKey is configured, "
                + "org.apache.rocketmq.acl.plain.PlainPermissionManager.validate(PlainPermissionManager.java:663)");
        assertThat(check(signed(send("Orders"), "nobodyKey", "producerSecret")))
                .startsWith("org.apache.rocketmq.acl.common.AclException: No acl config for nobodyKey, ");
        assertThat(check(signed(send("Orders"), "producerKey", "wrongSecret")))
                .startsWith("org.apache.rocketmq.acl.common.AclException: Check signature failed for accessKey=producerKey, ");
        RemotingCommand tampered = signed(send("Orders"), "producerKey", "producerSecret").put("b", "Audit");
        assertThat(check(tampered)).contains("Check signature failed");
    }

    @Test
    void topicAndGroupPermissionsAreCheckedPerResource() {
        assertThat(check(signed(send("Payroll"), "producerKey", "producerSecret")))
                .contains("No default permission for topic:Payroll");
        assertThat(check(signed(pull("blocked", "Orders"), "consumerKey", "consumerSecret")))
                .contains("No default permission for group:blocked");
        // a consumer may not publish: SUB on the topic is not PUB
        assertThat(check(signed(send("Orders"), "consumerKey", "consumerSecret")))
                .contains("No default permission for topic:Orders");
        // pulling a group's retry topic is checked against the group
        assertThat(check(signed(pull("billing", "%RETRY%billing"), "consumerKey", "consumerSecret"))).isNull();
        assertThat(check(signed(pull("billing", "%RETRY%blocked"), "consumerKey", "consumerSecret")))
                .contains("group:blocked");
        // a batch is checked like a single send (stricter than RocketMQ 4.x)
        RemotingCommand batch = RemotingCommand.request(RequestCode.SEND_BATCH_MESSAGE).put("a", "pg").put("b", "Payroll");
        assertThat(check(signed(batch, "producerKey", "producerSecret"))).contains("topic:Payroll");
    }

    @Test
    void aHeartbeatNeedsItsGroupsAndTheirSubscribedTopics() {
        String body = "{\"clientID\":\"c1\",\"consumerDataSet\":[{\"groupName\":\"billing\",\"subscriptionDataSet\":"
                + "[{\"topic\":\"Orders\",\"subString\":\"*\"}]}],\"producerDataSet\":[]}";
        RemotingCommand ok = RemotingCommand.request(RequestCode.HEART_BEAT).body(body.getBytes(StandardCharsets.UTF_8));
        assertThat(check(signed(ok, "consumerKey", "consumerSecret"))).isNull();
        RemotingCommand denied = RemotingCommand.request(RequestCode.HEART_BEAT)
                .body(body.replace("billing", "blocked").getBytes(StandardCharsets.UTF_8));
        assertThat(check(signed(denied, "consumerKey", "consumerSecret"))).contains("group:blocked");
        RemotingCommand garbage = RemotingCommand.request(RequestCode.HEART_BEAT).body("{not json".getBytes(StandardCharsets.UTF_8));
        assertThat(check(signed(garbage, "consumerKey", "consumerSecret")))
                .startsWith("org.apache.rocketmq.acl.common.AclException: ")
                .endsWith("PlainAccessValidator.parse(PlainAccessValidator.java:134)");
    }

    @Test
    void adminRequestsNeedAnAdminAccount() {
        RemotingCommand create = RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_TOPIC).put("topic", "New");
        assertThat(check(signed(create, "producerKey", "producerSecret")))
                .contains("Need admin permission for request code=17, but accessKey=producerKey is not");
        RemotingCommand again = RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_TOPIC).put("topic", "New");
        assertThat(check(signed(again, "adminKey", "adminSecret"))).isNull();
        RemotingCommand reset = RemotingCommand.request(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET).put("topic", "Orders");
        assertThat(check(signed(reset, "consumerKey", "consumerSecret"))).contains("Need admin permission for request code=222");
        // an admin without any explicit permission may touch every topic
        assertThat(check(signed(send("Payroll"), "adminKey", "adminSecret"))).isNull();
    }

    @Test
    void whiteListedAddressesSkipTheChecks() {
        assertThat(validator.refusal("10.10.103.7", send("Payroll"))).as("global white list").isNull();
        RemotingCommand unsigned = send("Payroll").put(AclSignature.ACCESS_KEY, "trustedKey");
        assertThat(validator.refusal("192.168.0.9", unsigned)).as("the account's own white address").isNull();
        assertThat(validator.refusal("192.168.1.9", unsigned)).contains("Check signature failed");
    }
}
