package io.rocketcluster.broker.processor;

import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.remoting.data.ConsumerData;
import io.rocketcluster.remoting.data.HeartbeatData;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.netty.NettyRemotingClient;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The per-client bounds over the wire, against an in-process broker with small limits: each client that
 * hits one gets RocketMQ's code and a remark naming the key, and the broker keeps serving the others.
 */
class ClientBoundsProcessorTest {
    private static final String TOPIC = "BoundsTopic";

    @TempDir
    static Path dir;
    static BrokerController broker;
    static NettyRemotingClient client;
    static String addr;

    @BeforeAll
    static void start() throws Exception {
        int port = io.rocketcluster.broker.TestPorts.freeBrokerPort();
        broker = io.rocketcluster.broker.TestBrokers.start(dir, port, "bounds", Map.of(
                "pullHoldMaxRequestsPerConnection", "2",
                "autoCreateTopicMaxPerMinute", "3",
                "autoCreateSubscriptionGroupMaxPerMinute", "3",
                "heartbeatMaxGroups", "10"));
        addr = "127.0.0.1:" + port;
        client = new NettyRemotingClient("bounds-test");
        assertThat(client.invokeSync(addr, send(TOPIC), 5000).code()).isEqualTo(ResponseCode.SUCCESS);
        // creates the group every test uses before any test spends the group budget
        assertThat(client.invokeSync(addr, pull("bounds_cg", 0, 0, 0), 5000).code())
                .isIn(ResponseCode.SUCCESS, ResponseCode.PULL_NOT_FOUND);
        assertThat(broker.groups().findOrCreate("bounds_cg")).isNotNull();
    }

    @AfterAll
    static void stop() {
        client.close();
        broker.shutdown();
    }

    private static RemotingCommand send(String topic) {
        return RemotingCommand.request(RequestCode.SEND_MESSAGE_V2)
                .put("a", "pg").put("b", topic).put("c", "TBW102").put("d", 4).put("e", 0).put("f", 0)
                .put("g", System.currentTimeMillis()).put("h", 0).put("i", "TAGS\u0001a")
                .body("x".getBytes(StandardCharsets.UTF_8));
    }

    private static RemotingCommand pull(String group, int queueId, long offset, long suspendMillis) {
        return RemotingCommand.request(RequestCode.PULL_MESSAGE)
                .put("consumerGroup", group).put("topic", TOPIC).put("queueId", queueId).put("queueOffset", offset)
                .put("maxMsgNums", 32).put("sysFlag", PullMessageProcessor.FLAG_SUSPEND | PullMessageProcessor.FLAG_SUBSCRIPTION)
                .put("subscription", "*").put("expressionType", "TAG")
                .put("commitOffset", 0L).put("suspendTimeoutMillis", suspendMillis).put("subVersion", 0L);
    }

    private static RemotingCommand commit(String topic, int queueId) {
        return RemotingCommand.request(RequestCode.UPDATE_CONSUMER_OFFSET).put("consumerGroup", "bounds_cg")
                .put("topic", topic).put("queueId", queueId).put("commitOffset", 1L);
    }

    @Test
    void aConnectionHoldsAtMostItsShareOfPullsAndTheRestAreToldBusy() throws Exception {
        // queue 1 and 2 are empty: both pulls are held, the third is refused at once
        List<CompletableFuture<RemotingCommand>> held = new ArrayList<>();
        held.add(client.invokeAsync(addr, pull("bounds_cg", 1, 0, 20_000), 30_000));
        held.add(client.invokeAsync(addr, pull("bounds_cg", 2, 0, 20_000), 30_000));
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.holdService().heldCount() == 2);
        RemotingCommand refused = client.invokeSync(addr, pull("bounds_cg", 3, 0, 20_000), 5000);
        assertThat(refused.code()).as(refused.remark()).isEqualTo(ResponseCode.SYSTEM_BUSY);
        assertThat(refused.remark()).contains("pullHoldMaxRequestsPerConnection");
        assertThat(held).noneMatch(CompletableFuture::isDone);

        // another connection is not affected
        try (NettyRemotingClient other = new NettyRemotingClient("bounds-other")) {
            CompletableFuture<RemotingCommand> otherHeld = other.invokeAsync(addr, pull("bounds_cg", 3, 0, 500), 30_000);
            assertThat(otherHeld.get(10, TimeUnit.SECONDS).code()).isEqualTo(ResponseCode.PULL_NOT_FOUND);
        }
        // a message on queue 1 frees a slot
        RemotingCommand put = client.invokeSync(addr, send(TOPIC).put("e", 1), 5000);
        assertThat(put.code()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(held.get(0).get(10, TimeUnit.SECONDS).code()).isEqualTo(ResponseCode.SUCCESS);
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.holdService().heldCount() == 1);
    }

    @Test
    void aClientAskingForAnEndlessSuspendIsHeldNoLongerThanTheBrokersLimit() throws Exception {
        long maxSuspend = broker.brokerConfig().getPullHoldMaxSuspendMillis();
        broker.brokerConfig().setPullHoldMaxSuspendMillis(300);
        try (NettyRemotingClient patient = new NettyRemotingClient("bounds-patient")) {
            RemotingCommand r = patient.invokeSync(addr, pull("bounds_cg", 3, 0, Long.MAX_VALUE), 10_000);
            assertThat(r.code()).as(r.remark()).isEqualTo(ResponseCode.PULL_NOT_FOUND);
        } finally {
            broker.brokerConfig().setPullHoldMaxSuspendMillis(maxSuspend);
        }
    }

    @Test
    void autoCreatedTopicsAreRateLimitedNamingTheKey() throws Exception {
        List<Integer> codes = new ArrayList<>();
        RemotingCommand last = null;
        for (int i = 0; i < 6; i++) {
            last = client.invokeSync(addr, send("FloodTopic" + i), 5000);
            codes.add(last.code());
        }
        // the budget refills at 3 a minute; the fixture used one more topic, so at most 3 were created here
        assertThat(codes).contains(ResponseCode.TOPIC_NOT_EXIST);
        assertThat(codes.stream().filter(c -> c == ResponseCode.SUCCESS).count()).isBetween(2L, 3L);
        assertThat(last.code()).isEqualTo(ResponseCode.TOPIC_NOT_EXIST);
        assertThat(last.remark()).contains("autoCreateTopicMaxPerMinute");
        assertThat(client.invokeSync(addr, send(TOPIC), 5000).code()).isEqualTo(ResponseCode.SUCCESS);
    }

    @Test
    void autoCreatedGroupsAreRateLimitedAndARefusedHeartbeatGroupLeavesNoState() throws Exception {
        List<RemotingCommand> pulls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pulls.add(client.invokeSync(addr, pull("flood_cg_" + i, 0, 0, 0), 5000));
        }
        RemotingCommand last = pulls.get(pulls.size() - 1);
        assertThat(last.code()).isEqualTo(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST);
        assertThat(last.remark()).contains("autoCreateSubscriptionGroupMaxPerMinute");

        HeartbeatData hb = new HeartbeatData();
        hb.clientID = "flood-client";
        ConsumerData c = new ConsumerData();
        c.groupName = "flood_cg_refused";
        hb.consumerDataSet.add(c);
        RemotingCommand beat = client.invokeSync(addr, RemotingCommand.request(RequestCode.HEART_BEAT)
                .body(Json.encode(hb)), 5000);
        assertThat(beat.code()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(broker.consumers().group("flood_cg_refused")).isNull();
        assertThat(broker.groups().findOrCreate("flood_cg_refused")).isNull();
    }

    @Test
    void aHeartbeatNamingTooManyGroupsIsRefusedWhole() throws Exception {
        HeartbeatData hb = new HeartbeatData();
        hb.clientID = "greedy-client";
        for (int i = 0; i < 11; i++) {
            ConsumerData c = new ConsumerData();
            c.groupName = "greedy_cg_" + i;
            hb.consumerDataSet.add(c);
        }
        RemotingCommand r = client.invokeSync(addr, RemotingCommand.request(RequestCode.HEART_BEAT)
                .body(Json.encode(hb)), 5000);
        assertThat(r.code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        assertThat(r.remark()).contains("heartbeatMaxGroups");
        assertThat(broker.consumers().group("greedy_cg_0")).isNull();
    }

    @Test
    void offsetsAreCommittedOnlyForQueuesTheBrokerHosts() throws Exception {
        assertThat(client.invokeSync(addr, commit(TOPIC, 0), 5000).code()).isEqualTo(ResponseCode.SUCCESS);
        RemotingCommand unknown = client.invokeSync(addr, commit("NoSuchTopic", 0), 5000);
        assertThat(unknown.code()).isEqualTo(ResponseCode.TOPIC_NOT_EXIST);
        RemotingCommand badQueue = client.invokeSync(addr, commit(TOPIC, 4096), 5000);
        assertThat(badQueue.code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        assertThat(badQueue.remark()).contains("queueId[4096]");
        assertThat(broker.offsets().query("bounds_cg", "NoSuchTopic", 0)).isNegative();
    }
}
