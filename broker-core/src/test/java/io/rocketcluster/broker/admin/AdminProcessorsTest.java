package io.rocketcluster.broker.admin;

import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.config.BrokerConfigLoader;
import io.rocketcluster.remoting.data.ConsumeStats;
import io.rocketcluster.remoting.data.DataVersion;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.KVTable;
import io.rocketcluster.remoting.data.MessageQueue;
import io.rocketcluster.remoting.data.TopicStatsTable;
import io.rocketcluster.remoting.netty.NettyRemotingClient;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin processors on an in-process broker (no nameserver): the answers' codes, remarks and
 * bodies for the cases the official tools do not show (refusals, validation, atomic config updates).
 * {@code it/MqAdminTest} runs the real mqadmin against real servers.
 */
class AdminProcessorsTest {
    @TempDir
    static Path dir;
    static BrokerController broker;
    static NettyRemotingClient client;
    static String addr;
    static Path conf;

    @BeforeAll
    static void start() throws Exception {
        int port = io.rocketcluster.broker.TestPorts.freeBrokerPort();
        conf = dir.resolve("broker.conf");
        Files.writeString(conf, "# test broker\nbrokerIP1=127.0.0.1\nbrokerName = admin-test\nlistenPort=" + port
                + "\nstorePathRootDir=" + dir.resolve("store") + "\nmappedFileSizeCommitLog=" + (16 * 1024 * 1024)
                + "\nfileReservedTime: 72\n");
        BrokerConfigLoader.Loaded c = BrokerConfigLoader.load(conf, null);
        c.broker().setNamesrvAddr(null);
        broker = new BrokerController(c.broker(), c.store(), c.server());
        broker.start();
        addr = "127.0.0.1:" + port;
        client = new NettyRemotingClient("admin-test");
    }

    @AfterAll
    static void stop() {
        client.close();
        broker.shutdown();
    }

    private static RemotingCommand call(RemotingCommand request) throws Exception {
        return client.invokeSync(addr, request, 5000);
    }

    private static RemotingCommand createTopic(String topic, int queues, int perm) throws Exception {
        return call(RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_TOPIC).put("topic", topic)
                .put("defaultTopic", "TBW102").put("readQueueNums", queues).put("writeQueueNums", queues)
                .put("perm", perm).put("topicFilterType", "SINGLE_TAG").put("topicSysFlag", 0).put("order", false));
    }

    private static RemotingCommand updateConfig(String properties) throws Exception {
        return call(RemotingCommand.request(RequestCode.UPDATE_BROKER_CONFIG)
                .body(properties.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void topicsAreValidatedCreatedReportedAndDeleted() throws Exception {
        assertThat(createTopic("admin-test", 4, 6).remark()).contains("conflict with system topic");
        assertThat(createTopic("SCHEDULE_TOPIC_XXXX", 4, 6).code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        assertThat(createTopic("bad topic", 4, 6).remark()).contains("illegal characters");
        assertThat(createTopic("T1", 4, 64).remark()).contains("perm 64");
        assertThat(createTopic("T1", 2000, 6).remark()).contains("must be within 0..1024");

        long version = broker.topics().dataVersion().counter;
        assertThat(createTopic("T1", 3, 6).code()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(broker.topics().get("T1").writeQueueNums).isEqualTo(3);
        assertThat(broker.topics().dataVersion().counter).isGreaterThan(version);

        RemotingCommand stats = call(RemotingCommand.request(RequestCode.GET_TOPIC_STATS_INFO).put("topic", "T1"));
        TopicStatsTable table = Json.decode(new String(stats.body(), StandardCharsets.UTF_8), TopicStatsTable.class);
        assertThat(table.offsetTable).hasSize(3).containsKey(new MessageQueue("T1", "admin-test", 2));

        assertThat(call(RemotingCommand.request(RequestCode.DELETE_TOPIC_IN_BROKER).put("topic", "T1")).code())
                .isEqualTo(ResponseCode.SUCCESS);
        assertThat(broker.topics().get("T1")).isNull();
        assertThat(call(RemotingCommand.request(RequestCode.GET_TOPIC_STATS_INFO).put("topic", "T1")).code())
                .isEqualTo(ResponseCode.TOPIC_NOT_EXIST);
    }

    @Test
    void runtimeKeysAreAppliedAndPersistedOthersAreReported() throws Exception {
        long before = configVersion(call(RemotingCommand.request(RequestCode.GET_BROKER_CONFIG)));
        RemotingCommand ok = updateConfig("fileReservedTime=48\n");
        assertThat(ok.code()).as(ok.remark()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(broker.storeConfig().getFileReservedTime()).isEqualTo(48);
        assertThat(Files.readAllLines(conf)).contains("# test broker", "brokerName = admin-test", "fileReservedTime=48")
                .doesNotContain("fileReservedTime: 72");

        RemotingCommand partly = updateConfig("deleteWhen=03\nlistenPort=1\nnoSuchKey=1\n");
        assertThat(partly.code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        assertThat(partly.remark()).contains("listenPort (needs a broker restart").contains("noSuchKey (not a broker config key)")
                .contains("Applied: deleteWhen.");
        assertThat(broker.storeConfig().getDeleteWhen()).isEqualTo("03");
        assertThat(broker.brokerConfig().getListenPort()).isNotEqualTo(1);

        RemotingCommand bad = updateConfig("deleteWhen=05\ndiskMaxUsedSpaceRatio=99\n");
        assertThat(bad.remark()).contains("diskMaxUsedSpaceRatio").contains("nothing was applied");
        assertThat(broker.storeConfig().getDeleteWhen()).isEqualTo("03");
        assertThat(updateConfig("fileReservedTime=soon\n").remark()).contains("'fileReservedTime'");

        RemotingCommand get = call(RemotingCommand.request(RequestCode.GET_BROKER_CONFIG));
        assertThat(new String(get.body(), StandardCharsets.UTF_8)).contains("fileReservedTime=48\n", "deleteWhen=03\n",
                "brokerName=admin-test\n");
        assertThat(configVersion(get)).as("two updates applied something").isEqualTo(before + 2);
    }

    private static long configVersion(RemotingCommand getBrokerConfig) throws Exception {
        return Json.decode(getBrokerConfig.get("version"), DataVersion.class).counter;
    }

    @Test
    void brokerPermissionBumpsTheTopicVersion() throws Exception {
        long version = broker.topics().dataVersion().counter;
        assertThat(updateConfig("brokerPermission=4").code()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(broker.topics().dataVersion().counter).isGreaterThan(version);
        assertThat(updateConfig("brokerPermission=6").code()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(updateConfig("brokerPermission=16").remark()).contains("brokerPermission");
    }

    @Test
    void consumeStatsResetAndStatsData() throws Exception {
        assertThat(createTopic("T2", 2, 6).code()).isEqualTo(ResponseCode.SUCCESS);
        broker.commitOffset("g", "T2", 0, 0);
        RemotingCommand stats = call(RemotingCommand.request(RequestCode.GET_CONSUME_STATS).put("consumerGroup", "g"));
        ConsumeStats cs = Json.decode(new String(stats.body(), StandardCharsets.UTF_8), ConsumeStats.class);
        assertThat(cs.offsetTable).containsOnlyKeys(new MessageQueue("T2", "admin-test", 0), new MessageQueue("T2", "admin-test", 1));

        java.util.function.Supplier<RemotingCommand> reset = () -> RemotingCommand.request(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET)
                .put("topic", "T2").put("group", "g").put("timestamp", -1).put("isForce", true);
        assertThat(call(reset.get()).remark()).contains("THe consumer group <g> not exist");
        broker.commitOffset("g", "T2", 1, 0);
        RemotingCommand offline = call(reset.get());
        assertThat(offline.code()).isEqualTo(ResponseCode.CONSUMER_NOT_ONLINE);
        assertThat(offline.remark()).contains("Consumer not online, so can not reset offset, Group: g Topic: T2");

        RemotingCommand missing = call(RemotingCommand.request(RequestCode.VIEW_BROKER_STATS_DATA)
                .put("statsName", "TOPIC_PUT_NUMS").put("statsKey", "T2"));
        assertThat(missing.remark()).isEqualTo("The stats <TOPIC_PUT_NUMS> <T2> not exist");
        assertThat(call(RemotingCommand.request(RequestCode.GET_CONSUMER_CONNECTION_LIST).put("consumerGroup", "g")).code())
                .isEqualTo(ResponseCode.CONSUMER_NOT_ONLINE);
        assertThat(call(RemotingCommand.request(RequestCode.GET_PRODUCER_CONNECTION_LIST).put("producerGroup", "p")).remark())
                .isEqualTo("the producer group[p] not exist");
    }

    @Test
    void haResolveTakesOnlyMasterOrSlaveAndAnythingElseChangesNothing() throws Exception {
        for (String hostile : java.util.Arrays.asList(null, "", "MASTER", " master", "master\n", "slave\u0000",
                "x".repeat(100_000))) {
            RemotingCommand request = RemotingCommand.request(RequestCode.HA_RESOLVE_DIVERGENCE);
            if (hostile != null) {
                request.put("keep", hostile);
            }
            RemotingCommand r = call(request);
            assertThat(r.code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
            assertThat(r.remark()).startsWith("keep must be master or slave, got ").hasSizeLessThan(100)
                    .doesNotContain("\n").doesNotContain("\u0000");
            assertThat(broker.haServer().fence().isRaised()).isFalse();
        }
        RemotingCommand ok = call(RemotingCommand.request(RequestCode.HA_RESOLVE_DIVERGENCE).put("keep", "master"));
        assertThat(ok.code()).as(ok.remark()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(broker.haServer().fence().isRaised()).isFalse();
    }

    @Test
    void runtimeInfoHasTheKeysTheToolsRead() throws Exception {
        RemotingCommand info = call(RemotingCommand.request(RequestCode.GET_BROKER_RUNTIME_INFO));
        KVTable t = Json.decode(new String(info.body(), StandardCharsets.UTF_8), KVTable.class);
        assertThat(t.table).containsKeys("brokerVersionDesc", "msgPutTotalTodayNow", "msgGetTotalYesterdayMorning",
                "sendThreadPoolQueueSize", "pullThreadPoolQueueHeadWaitTimeMills", "commitLogDiskRatio", "runtime");
        assertThat(t.table.get("putTps")).matches("\\d+\\.\\d{3} \\d+\\.\\d{3} \\d+\\.\\d{3}");
        assertThat(t.table.get("brokerVersionDesc")).isEqualTo("V4_9_7");
    }

}
