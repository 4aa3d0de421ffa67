package io.rocketcluster.broker.registry;

import io.rocketcluster.broker.config.BrokerConfig;
import io.rocketcluster.remoting.data.TopicConfigSerializeWrapper;
import io.rocketcluster.remoting.netty.NettyRemotingClient;
import io.rocketcluster.remoting.netty.NettyRemotingServer;
import io.rocketcluster.remoting.netty.NettyServerConfig;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** REGISTER_BROKER as a (fake) nameserver sees it, and what a slave makes of the answer. */
class NameServerRegistrarTest {
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<RemotingCommand> received = new CopyOnWriteArrayList<>();
    private final List<NameServerRegistrar.MasterInfo> masters = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    /** A nameserver that records registrations and answers like one with a live master. */
    private String fakeNameServer() throws InterruptedException {
        NettyServerConfig sc = new NettyServerConfig();
        sc.setServerSelectorThreads(1);
        NettyRemotingServer server = new NettyRemotingServer("fake-ns", sc, 0);
        var pool = Executors.newSingleThreadExecutor();
        closeables.add(pool::shutdownNow);
        server.registerProcessor(RequestCode.REGISTER_BROKER, (ch, req) -> {
            received.add(req);
            return RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null)
                    .put("masterAddr", "203.0.113.7:10911").put("haServerAddr", "broker-a-master:10912");
        }, pool);
        server.start();
        closeables.add(server);
        return "127.0.0.1:" + server.localPort();
    }

    private NameServerRegistrar registrar(BrokerConfig config) {
        NettyRemotingClient client = new NettyRemotingClient("registrar-test");
        closeables.add(client);
        return new NameServerRegistrar(config, config.getBrokerIP2() + ":" + (config.getListenPort() + 1), client,
                TopicConfigSerializeWrapper::new, masters::add);
    }

    private static BrokerConfig config(String namesrv) {
        BrokerConfig c = new BrokerConfig();
        c.setNamesrvAddr(namesrv);
        c.setBrokerName("broker-a");
        c.setBrokerIP1("broker-a-slave");
        c.setBrokerIP2("broker-a-slave");
        c.setBrokerId(1);
        return c;
    }

    @Test
    void externalAddressTravelsAsAnExtraFieldBesideTheStandardOnes() throws Exception {
        BrokerConfig c = config(fakeNameServer());
        c.setBrokerExternalAddr("127.0.0.1:11911");
        assertThat(registrar(c).registerAll().join()).isEqualTo(1);
        RemotingCommand req = received.get(0);
        assertThat(req.get("brokerAddr")).isEqualTo("broker-a-slave:10911");
        assertThat(req.get("haServerAddr")).isEqualTo("broker-a-slave:10912");
        assertThat(req.get(NameServerRegistrar.EXTERNAL_ADDR_FIELD)).isEqualTo("127.0.0.1:11911");
    }

    @Test
    void withoutAnExternalAddressTheRequestIsExactlyRocketMqs() throws Exception {
        assertThat(registrar(config(fakeNameServer())).registerAll().join()).isEqualTo(1);
        assertThat(received.get(0).get(NameServerRegistrar.EXTERNAL_ADDR_FIELD)).isNull();
    }

    @Test
    void slaveSyncsMetadataFromTheMastersHaHostNotItsClientAddress() throws Exception {
        registrar(config(fakeNameServer())).registerAll().join();
        assertThat(masters).singleElement().satisfies(m -> {
            assertThat(m.masterAddr()).isEqualTo("203.0.113.7:10911");
            assertThat(m.metadataAddr()).isEqualTo("broker-a-master:10911");
        });
    }

    @Test
    void metadataAddressFallsBackToTheMasterAddress() {
        assertThat(new NameServerRegistrar.MasterInfo("10.0.0.1:10912", "x:1").metadataAddr()).isEqualTo("10.0.0.1:10911");
        assertThat(new NameServerRegistrar.MasterInfo(null, "m:10911").metadataAddr()).isEqualTo("m:10911");
        assertThat(new NameServerRegistrar.MasterInfo("garbage", "m:10911").metadataAddr()).isEqualTo("m:10911");
        assertThat(new NameServerRegistrar.MasterInfo("h:port", "m:10911").metadataAddr()).isEqualTo("m:10911");
    }
}
