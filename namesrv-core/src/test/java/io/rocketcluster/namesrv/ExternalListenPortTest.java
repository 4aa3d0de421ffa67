package io.rocketcluster.namesrv;

import io.rocketcluster.remoting.data.ClusterInfo;
import io.rocketcluster.remoting.data.DataVersion;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.RegisterBrokerBody;
import io.rocketcluster.remoting.data.TopicConfig;
import io.rocketcluster.remoting.data.TopicRouteData;
import io.rocketcluster.remoting.netty.NettyRemotingClient;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/** A real name server with externalListenPort: one table, two views, over TCP. */
class ExternalListenPortTest {
    @TempDir
    Path dir;

    private NamesrvController namesrv;
    private final NettyRemotingClient client = new NettyRemotingClient("external-test");

    @AfterEach
    void tearDown() {
        client.close();
        if (namesrv != null) {
            namesrv.shutdown();
        }
    }

    private void start(int externalPort) throws Exception {
        NamesrvConfiguration configuration = NamesrvConfiguration.defaults();
        NamesrvConfig c = configuration.namesrvConfig();
        c.setListenPort(0);
        c.setMetricsPort(0);
        c.setExternalListenPort(externalPort);
        c.setKvConfigPath(dir.resolve("kvConfig.json").toString());
        c.setConfigStorePath(dir.resolve("namesrv.properties").toString());
        configuration.nettyServerConfig().setServerWorkerThreads(2);
        configuration.nettyServerConfig().setServerSelectorThreads(1);
        namesrv = new NamesrvController(configuration);
        namesrv.start();
    }

    private RemotingCommand register(String port, String brokerAddr, long id, String external) throws Exception {
        RegisterBrokerBody b = new RegisterBrokerBody();
        b.topicConfigSerializeWrapper.dataVersion = new DataVersion(1, 1_700_000_000_000L);
        if (id == 0) {
            b.topicConfigSerializeWrapper.topicConfigTable.put("TopicA", new TopicConfig("TopicA", 4, 4, 6));
        }
        byte[] body = Json.encode(b);
        CRC32 crc = new CRC32();
        crc.update(body);
        RemotingCommand r = RemotingCommand.request(RequestCode.REGISTER_BROKER)
                .put("brokerName", "broker-a").put("brokerAddr", brokerAddr).put("clusterName", "DefaultCluster")
                .put("haServerAddr", brokerAddr.replace(":10911", ":10912")).put("brokerId", id)
                .put("compressed", false).put("bodyCrc32", (int) (crc.getValue() & 0x7FFFFFFF)).body(body);
        if (external != null) {
            r.put("brokerExternalAddr", external);
        }
        RemotingCommand resp = client.invokeSync("127.0.0.1:" + port, r, 5000);
        assertThat(resp.code()).as(resp.remark()).isEqualTo(ResponseCode.SUCCESS);
        return resp;
    }

    private Map<Long, String> routeAddrs(int port) throws Exception {
        RemotingCommand r = client.invokeSync("127.0.0.1:" + port,
                RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC).put("topic", "TopicA"), 5000);
        assertThat(r.code()).isEqualTo(ResponseCode.SUCCESS);
        return Json.decode(r.body(), TopicRouteData.class).brokerDatas.get(0).brokerAddrs;
    }

    private Map<Long, String> clusterAddrs(int port) throws Exception {
        RemotingCommand r = client.invokeSync("127.0.0.1:" + port,
                RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO), 5000);
        return Json.decode(r.body(), ClusterInfo.class).brokerAddrTable.get("broker-a").brokerAddrs;
    }

    @Test
    void eachPortAnswersInItsOwnAddresses() throws Exception {
        start(0);
        int internal = namesrv.listenPort();
        int external = namesrv.externalListenPort();
        assertThat(external).isPositive().isNotEqualTo(internal);
        register(String.valueOf(internal), "broker-a-master:10911", 0, "127.0.0.1:10911");
        RemotingCommand slave = register(String.valueOf(internal), "broker-a-slave:10911", 1, "127.0.0.1:11911");
        assertThat(slave.get("masterAddr")).isEqualTo("broker-a-master:10911");

        assertThat(routeAddrs(internal)).containsExactly(Map.entry(0L, "broker-a-master:10911"),
                Map.entry(1L, "broker-a-slave:10911"));
        assertThat(routeAddrs(external)).containsExactly(Map.entry(0L, "127.0.0.1:10911"),
                Map.entry(1L, "127.0.0.1:11911"));
        assertThat(clusterAddrs(internal)).containsValues("broker-a-master:10911", "broker-a-slave:10911");
        assertThat(clusterAddrs(external)).containsValues("127.0.0.1:10911", "127.0.0.1:11911");
    }

    @Test
    void brokersMayRegisterThroughTheExternalPortToo() throws Exception {
        start(0);
        register(String.valueOf(namesrv.externalListenPort()), "127.0.0.1:10911", 0, null);
        assertThat(routeAddrs(namesrv.listenPort())).containsExactly(Map.entry(0L, "127.0.0.1:10911"));
        assertThat(routeAddrs(namesrv.externalListenPort())).containsExactly(Map.entry(0L, "127.0.0.1:10911"));
    }

    @Test
    void offByDefault() throws Exception {
        start(-1);
        assertThat(namesrv.externalListenPort()).isEqualTo(-1);
        assertThat(NamesrvConfiguration.defaults().namesrvConfig().getExternalListenPort()).isEqualTo(-1);
    }
}
