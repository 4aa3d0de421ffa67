package io.rocketcluster.broker.processor;

import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.store.MessageProperties;
import io.rocketcluster.broker.store.MessageToStore;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * sqlFilterMaxDepth and sqlFilterMaxLength, bound by name from the broker's config, at
 * CHECK_CLIENT_CONFIG and PULL_MESSAGE: a too deep or too long expression is answered 23
 * (SUBSCRIPTION_PARSE_FAILED) with a remark naming the key, and the broker keeps serving.
 */
class SqlFilterLimitsProcessorTest {
    private static final String TOPIC = "SqlLimitsTopic";
    private static final String GROUP = "sql_limits_cg";
    private static final int MAX_DEPTH = 32;
    private static final int MAX_LENGTH = 300_000;

    @TempDir
    static Path dir;
    static BrokerController broker;
    static NettyRemotingClient client;
    static String addr;

    @BeforeAll
    static void start() throws Exception {
        int port = io.rocketcluster.broker.TestPorts.freeBrokerPort();
        broker = io.rocketcluster.broker.TestBrokers.start(dir, port, "sql-limits", Map.of(
                "enablePropertyFilter", "true",
                "sqlFilterMaxDepth", String.valueOf(MAX_DEPTH),
                "sqlFilterMaxLength", String.valueOf(MAX_LENGTH),
                "sqlFilterCacheMaxBytes", "65536"));
        addr = "127.0.0.1:" + port;
        client = new NettyRemotingClient("sql-limits-test");
        broker.topics().update(new TopicConfig(TOPIC, 1, 1, Perm.READ | Perm.WRITE));
        for (int a = 1; a <= 3; a++) {
            MessageToStore m = new MessageToStore();
            m.topic = TOPIC;
            m.queueId = 0;
            m.body = "body".getBytes(StandardCharsets.UTF_8);
            m.properties = MessageProperties.format(Map.of("a", String.valueOf(a)));
            m.bornTimestamp = System.currentTimeMillis();
            m.bornHost = new InetSocketAddress("127.0.0.1", 40000);
            m.storeHost = broker.storeHost();
            broker.store().put(m, false).get();
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (broker.store().maxOffset(TOPIC, 0) < 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(broker.store().maxOffset(TOPIC, 0)).isEqualTo(3);
    }

    @AfterAll
    static void stop() {
        client.close();
        broker.shutdown();
    }

    @Test
    void theConfiguredLimitsAreBoundByName() {
        assertThat(broker.brokerConfig().getSqlFilterMaxDepth()).isEqualTo(MAX_DEPTH);
        assertThat(broker.brokerConfig().getSqlFilterMaxLength()).isEqualTo(MAX_LENGTH);
        assertThat(broker.brokerConfig().getSqlFilterCacheMaxBytes()).isEqualTo(65536);
    }

    private static SubscriptionData sub(String expression) {
        SubscriptionData s = new SubscriptionData();
        s.topic = TOPIC;
        s.subString = expression;
        s.expressionType = "SQL92";
        return s;
    }

    private static RemotingCommand check(String expression) throws Exception {
        ClientManageProcessor.CheckClientConfigBody body = new ClientManageProcessor.CheckClientConfigBody();
        body.clientId = "127.0.0.1@limits";
        body.group = GROUP;
        body.subscriptionData = sub(expression);
        return client.invokeSync(addr, RemotingCommand.request(RequestCode.CHECK_CLIENT_CONFIG)
                .body(Json.encode(body)), 5000);
    }

    private static RemotingCommand pull(String group, String expression) throws Exception {
        RemotingCommand req = RemotingCommand.request(RequestCode.PULL_MESSAGE)
                .put("consumerGroup", group).put("topic", TOPIC).put("queueId", 0).put("queueOffset", 0L)
                .put("maxMsgNums", 32).put("sysFlag", expression == null ? 0 : PullMessageProcessor.FLAG_SUBSCRIPTION)
                .put("commitOffset", 0L).put("suspendTimeoutMillis", 0L).put("subVersion", 0L);
        if (expression != null) {
            req.put("subscription", expression).put("expressionType", "SQL92");
        }
        return client.invokeSync(addr, req, 5000);
    }

    /** A normal SQL consumer: checked and served its one matching message. */
    private static void normalConsumerIsServed() throws Exception {
        assertThat(check("a = 2 OR a > 5").code()).isEqualTo(ResponseCode.SUCCESS);
        RemotingCommand ok = pull(GROUP, "a = 2 OR a > 5");
        assertThat(ok.code()).as(ok.remark()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(ok.body()).isNotEmpty();
    }

    private static void refused(RemotingCommand r, String key, int value) {
        assertThat(r.code()).as(r.remark()).isEqualTo(ResponseCode.SUBSCRIPTION_PARSE_FAILED).isEqualTo(23);
        assertThat(r.remark()).startsWith("Invalid SQL92 expression at position ").contains(key + "=" + value);
    }

    @Test
    void deepExpressionsAreAnswered23AtCheckClientConfigAndPullWhileOthersAreServed() throws Exception {
        normalConsumerIsServed();
        String[] deep = {
                "(".repeat(100_000) + "a = 1" + ")".repeat(100_000),
                "NOT ".repeat(60_000) + "(a = 1)",
                "a = 1 AND ".repeat(25_000) + "a = 1",
        };
        for (String sql : deep) {
            long t0 = System.nanoTime();
            refused(check(sql), "sqlFilterMaxDepth", MAX_DEPTH);
            refused(pull(GROUP, sql), "sqlFilterMaxDepth", MAX_DEPTH);
            assertThat(System.nanoTime() - t0).isLessThan(5_000_000_000L);
            normalConsumerIsServed();
        }

        // exactly the configured depth is accepted, one more is not
        String atMax = "(".repeat(MAX_DEPTH - 1) + "a = 1" + ")".repeat(MAX_DEPTH - 1);
        assertThat(check(atMax).code()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(pull(GROUP, atMax).code()).isEqualTo(ResponseCode.SUCCESS);
        String overMax = "(" + atMax + ")";
        refused(check(overMax), "sqlFilterMaxDepth", MAX_DEPTH);
        refused(pull(GROUP, overMax), "sqlFilterMaxDepth", MAX_DEPTH);
        normalConsumerIsServed();
    }

    @Test
    void tooLongExpressionsAreAnswered23() throws Exception {
        String tooLong = "a = 1" + " ".repeat(MAX_LENGTH - 4);
        refused(check(tooLong), "sqlFilterMaxLength", MAX_LENGTH);
        refused(pull(GROUP, tooLong), "sqlFilterMaxLength", MAX_LENGTH);
        normalConsumerIsServed();
    }

    @Test
    void aDeepSubscriptionRegisteredByHeartbeatIsAnswered23AtPull() throws Exception {
        String group = "sql_limits_hb_cg";
        SubscriptionData s = sub("NOT ".repeat(50_000) + "TRUE");
        s.subVersion = System.nanoTime();
        ConsumerData c = new ConsumerData();
        c.groupName = group;
        c.consumeType = "CONSUME_PASSIVELY";
        c.messageModel = "CLUSTERING";
        c.consumeFromWhere = "CONSUME_FROM_FIRST_OFFSET";
        c.subscriptionDataSet.add(s);
        HeartbeatData hb = new HeartbeatData();
        hb.clientID = "127.0.0.1@limits-hb";
        hb.consumerDataSet.add(c);
        RemotingCommand r = client.invokeSync(addr, RemotingCommand.request(RequestCode.HEART_BEAT)
                .body(Json.encode(hb)), 5000);
        assertThat(r.code()).isEqualTo(ResponseCode.SUCCESS);

        refused(pull(group, null), "sqlFilterMaxDepth", MAX_DEPTH);
        normalConsumerIsServed();
    }
}
