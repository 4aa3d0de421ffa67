package io.rocketcluster.broker.processor;

import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.store.MessageProperties;
import io.rocketcluster.broker.store.MessageToStore;
import io.rocketcluster.broker.store.StoredRecord;
import io.rocketcluster.remoting.data.ConsumerData;
import io.rocketcluster.remoting.data.HeartbeatData;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.Perm;
import io.rocketcluster.remoting.data.SubscriptionData;
import io.rocketcluster.remoting.data.TopicConfig;
import io.rocketcluster.remoting.netty.NettyRemotingClient;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CHECK_CLIENT_CONFIG and PULL_MESSAGE with SQL92 subscriptions against an in-process broker: the
 * response codes of docs/remoting.md §5/§10.4 and the messages a filtered pull returns.
 */
class SqlFilterProcessorTest {
    private static final String TOPIC = "SqlFilterTopic";
    private static final String GROUP = "sql_cg";

    @TempDir
    static Path dir;
    static BrokerController broker;
    static NettyRemotingClient client;
    static String addr;

    @BeforeAll
    static void start() throws Exception {
        int port = io.rocketcluster.broker.TestPorts.freeBrokerPort();
        broker = io.rocketcluster.broker.TestBrokers.start(dir, port, "sql-filter", Map.of("enablePropertyFilter", "true"));
        addr = "127.0.0.1:" + port;
        client = new NettyRemotingClient("sql-filter-test");

        broker.topics().update(new TopicConfig(TOPIC, 1, 1, Perm.READ | Perm.WRITE));
        for (int a = 1; a <= 10; a++) {
            Map<String, String> props = new LinkedHashMap<>();
            props.put("a", String.valueOf(a));
            props.put("color", a % 2 == 0 ? "red" : "blue");
            props.put(MessageProperties.TAGS, a <= 5 ? "TagA" : "TagB");
            props.put(MessageProperties.KEYS, "key" + a);
            put(props);
        }
        put(Map.of(MessageProperties.TAGS, "TagC"));           // no user properties at all
        long deadline = System.currentTimeMillis() + 10_000;
        while (broker.store().maxOffset(TOPIC, 0) < 11 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(broker.store().maxOffset(TOPIC, 0)).isEqualTo(11);
    }

    @AfterAll
    static void stop() {
        client.close();
        broker.shutdown();
    }

    @AfterEach
    void enableAgain() {
        broker.brokerConfig().setEnablePropertyFilter(true);
    }

    private static void put(Map<String, String> props) throws Exception {
        MessageToStore m = new MessageToStore();
        m.topic = TOPIC;
        m.queueId = 0;
        m.body = "body".getBytes(StandardCharsets.UTF_8);
        m.properties = MessageProperties.format(props);
        m.bornTimestamp = System.currentTimeMillis();
        m.bornHost = new InetSocketAddress("127.0.0.1", 40000);
        m.storeHost = broker.storeHost();
        broker.store().put(m, false).get();
    }

    // ---- CHECK_CLIENT_CONFIG ----------------------------------------------------------------

    private static SubscriptionData sub(String type, String expression) {
        SubscriptionData s = new SubscriptionData();
        s.topic = TOPIC;
        s.subString = expression;
        s.expressionType = type;
        return s;
    }

    private static RemotingCommand check(SubscriptionData s) throws Exception {
        ClientManageProcessor.CheckClientConfigBody body = new ClientManageProcessor.CheckClientConfigBody();
        body.clientId = "127.0.0.1@test";
        body.group = GROUP;
        body.subscriptionData = s;
        return client.invokeSync(addr, RemotingCommand.request(RequestCode.CHECK_CLIENT_CONFIG)
                .body(Json.encode(body)), 3000);
    }

    @Test
    void checkClientConfigAcceptsTagsAndValidSqlAndRejectsTheRest() throws Exception {
        assertThat(check(SubscriptionData.ofTags(TOPIC, "TagA || TagB")).code()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(check(sub("SQL92", "a BETWEEN 3 AND 6 AND color = 'red'")).code()).isEqualTo(ResponseCode.SUCCESS);

        RemotingCommand bad = check(sub("SQL92", "a BETWEEN 3 AND"));
        assertThat(bad.code()).isEqualTo(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
        assertThat(bad.remark()).isEqualTo("Invalid SQL92 expression at position 16: "
                + "expected a property, a literal or '(' but found end of expression");

        broker.brokerConfig().setEnablePropertyFilter(false);
        RemotingCommand off = check(sub("SQL92", "a > 1"));
        assertThat(off.code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        assertThat(off.remark()).isEqualTo("The broker does not support consumer to filter message by SQL92");
        assertThat(check(SubscriptionData.ofTags(TOPIC, "*")).code()).isEqualTo(ResponseCode.SUCCESS);
    }

    // ---- PULL_MESSAGE -----------------------------------------------------------------------

    private static RemotingCommand pull(String group, int sysFlag, String type, String expression) throws Exception {
        RemotingCommand req = RemotingCommand.request(RequestCode.PULL_MESSAGE)
                .put("consumerGroup", group).put("topic", TOPIC).put("queueId", 0).put("queueOffset", 0L)
                .put("maxMsgNums", 32).put("sysFlag", sysFlag).put("commitOffset", 0L)
                .put("suspendTimeoutMillis", 0L).put("subVersion", 0L);
        if (expression != null) {
            req.put("subscription", expression).put("expressionType", type);
        }
        return client.invokeSync(addr, req, 5000);
    }

    /** The value of property {@code name} of every record in a pull response body, in order. */
    private static List<String> values(RemotingCommand response, String name) {
        assertThat(response.code()).as(response.remark()).isEqualTo(ResponseCode.SUCCESS);
        ByteBuffer body = ByteBuffer.wrap(response.body());
        List<String> out = new ArrayList<>();
        int pos = 0;
        while (pos < body.limit()) {
            StoredRecord r = StoredRecord.parse(body, pos, body.limit(), true);
            assertThat(r.isMessage()).isTrue();
            out.add(MessageProperties.get(r.properties(), name));
            pos += r.size();
        }
        return out;
    }

    @Test
    void pullWithSqlInTheRequestReturnsOnlyMatchingMessages() throws Exception {
        int flag = PullMessageProcessor.FLAG_SUBSCRIPTION;
        assertThat(values(pull(GROUP, flag, "SQL92", "a BETWEEN 3 AND 6 AND color = 'red'"), "a"))
                .containsExactly("4", "6");
        assertThat(values(pull(GROUP, flag, "SQL92", "TAGS = 'TagB' AND a <> 7"), "a"))
                .containsExactly("6", "8", "9", "10");
        assertThat(values(pull(GROUP, flag, "SQL92", "a IS NULL"), "TAGS")).containsExactly("TagC");
        assertThat(values(pull(GROUP, flag, "SQL92", "KEYS IN ('key1', 'key10')"), "a")).containsExactly("1", "10");
        assertThat(values(pull(GROUP, flag, "SQL92", "TRUE"), "a")).hasSize(11);

        RemotingCommand none = pull(GROUP, flag, "SQL92", "a > 100");
        assertThat(none.code()).isEqualTo(ResponseCode.PULL_RETRY_IMMEDIATELY);
        assertThat(none.get("nextBeginOffset")).isEqualTo("11");
    }

    @Test
    void pullWithTagsIsUnchanged() throws Exception {
        int flag = PullMessageProcessor.FLAG_SUBSCRIPTION;
        assertThat(values(pull(GROUP, flag, "TAG", "TagA"), "a")).containsExactly("1", "2", "3", "4", "5");
        assertThat(values(pull(GROUP, flag, null, null), "a")).hasSize(11);
    }

    @Test
    void pullWithAnInvalidExpressionOrFilteringOffIsRefused() throws Exception {
        int flag = PullMessageProcessor.FLAG_SUBSCRIPTION;
        RemotingCommand bad = pull(GROUP, flag, "SQL92", "a = NULL");
        assertThat(bad.code()).isEqualTo(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
        assertThat(bad.remark()).isEqualTo(
                "Invalid SQL92 expression at position 3: NULL cannot be compared with '='; use IS NULL or IS NOT NULL");

        broker.brokerConfig().setEnablePropertyFilter(false);
        RemotingCommand off = pull(GROUP, flag, "SQL92", "a > 1");
        assertThat(off.code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        assertThat(off.remark()).isEqualTo("The broker does not support consumer to filter message by SQL92");
        assertThat(values(pull(GROUP, flag, "TAG", "TagA"), "a")).hasSize(5);
    }

    @Test
    void pullUsesTheSqlSubscriptionRegisteredByHeartbeat() throws Exception {
        String group = "sql_hb_cg";
        heartbeat(group, sub("SQL92", "color = 'blue' AND a >= 5"));
        assertThat(values(pull(group, 0, null, null), "a")).containsExactly("5", "7", "9");

        heartbeat(group, sub("SQL92", "color = "));
        RemotingCommand bad = pull(group, 0, null, null);
        assertThat(bad.code()).isEqualTo(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
        assertThat(bad.remark()).contains("position 9");

        heartbeat(group, sub("SQL92", "a = 1"));
        broker.brokerConfig().setEnablePropertyFilter(false);
        assertThat(pull(group, 0, null, null).code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
    }

    private static void heartbeat(String group, SubscriptionData s) throws Exception {
        s.subVersion = System.nanoTime();
        ConsumerData c = new ConsumerData();
        c.groupName = group;
        c.consumeType = "CONSUME_PASSIVELY";
        c.messageModel = "CLUSTERING";
        c.consumeFromWhere = "CONSUME_FROM_FIRST_OFFSET";
        c.subscriptionDataSet.add(s);
        HeartbeatData hb = new HeartbeatData();
        hb.clientID = "127.0.0.1@sql-test";
        hb.consumerDataSet.add(c);
        RemotingCommand r = client.invokeSync(addr, RemotingCommand.request(RequestCode.HEART_BEAT)
                .body(Json.encode(hb)), 3000);
        assertThat(r.code()).isEqualTo(ResponseCode.SUCCESS);
    }

}
