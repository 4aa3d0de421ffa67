package io.rocketcluster.remoting.acl;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The signature against vectors computed independently (HMAC-SHA1 with python), per docs/acl.md §1.5. */
class AclSignatureTest {
    private static final String SECRET = "12345678";

    private static Map<String, String> sendV2() {
        Map<String, String> ext = new LinkedHashMap<>();
        ext.put("n", "broker-a");
        ext.put("AccessKey", "RocketMQ");
        ext.put("a", "please_rename_unique_group_name");
        ext.put("b", "TopicTest");
        ext.put("c", "TBW102");
        ext.put("d", "4");
        ext.put("e", "0");
        ext.put("f", "0");
        ext.put("g", "1700000000000");
        ext.put("h", "0");
        ext.put("i", "TAGS\u0001TagA\u0002WAIT\u0001true\u0002");
        ext.put("j", "0");
        ext.put("k", "false");
        ext.put("m", "false");
        return ext;
    }

    @Test
    void aSendIsSignedOverItsSortedFieldValuesAndBody() {
        byte[] body = "Hello RocketMQ".getBytes(StandardCharsets.UTF_8);
        assertThat(AclSignature.sign(sendV2(), body, SECRET)).isEqualTo("mBtXK37wyVXxw0IAHsJyYxSqnxE=");
        Map<String, String> withToken = sendV2();
        withToken.put("SecurityToken", "tok123");
        assertThat(AclSignature.sign(withToken, body, SECRET)).isEqualTo("ZwFNW83ZCnTCoOEnpajWab99isg=");
        Map<String, String> signed = sendV2();
        signed.put("Signature", "mBtXK37wyVXxw0IAHsJyYxSqnxE=");
        assertThat(AclSignature.verify(signed, body, SECRET, signed.get("Signature"))).isTrue();
        assertThat(AclSignature.verify(signed, "Hello RocketMQ!".getBytes(StandardCharsets.UTF_8), SECRET,
                signed.get("Signature"))).isFalse();
        assertThat(AclSignature.verify(signed, body, "87654321", signed.get("Signature"))).isFalse();
        assertThat(AclSignature.verify(signed, body, SECRET, null)).isFalse();
    }

    @Test
    void aHeartbeatAndAnEmptyRequestAreSignedOverWhatTheyHave() {
        byte[] heartbeat = "{\"clientID\":\"127.0.0.1@1234\",\"consumerDataSet\":[],\"producerDataSet\":[{\"groupName\":\"CLIENT_INNER_PRODUCER\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(AclSignature.sign(Map.of("AccessKey", "RocketMQ"), heartbeat, SECRET))
                .isEqualTo("Bcdowi1GN8TYuVjJHfpGgaNZZRI=");
        assertThat(AclSignature.sign(Map.of("AccessKey", "rocketmq2"), null, SECRET))
                .isEqualTo("Ou1T58RIcyZWaTIwzkhJZWn/Zvs=");
    }

    @Test
    void aQueryIsAcceptedSignedWithOrWithoutTheUniqueKeyFlag() {
        Map<String, String> ext = new HashMap<>(Map.of("AccessKey", "rocketmq2", "topic", "TopicTest", "key", "k1",
                "maxNum", "64", "beginTimestamp", "0", "endTimestamp", "9223372036854775807",
                "_UNIQUE_KEY_QUERY", "false"));
        assertThat(AclSignature.verify(ext, null, SECRET, "mzZhAPZerc7MtB4oua8Qe0nz6U8=")).as("as 4.9 signs").isTrue();
        assertThat(AclSignature.verify(ext, null, SECRET, "BselaU1EXUEDocOmwIgFCm7+Ug4=")).as("as 4.7 signs").isTrue();
        assertThat(AclSignature.verify(ext, null, SECRET, "IUc8rrO/0gDch8CjObLQsW2rsiA=")).isFalse();
    }
}
