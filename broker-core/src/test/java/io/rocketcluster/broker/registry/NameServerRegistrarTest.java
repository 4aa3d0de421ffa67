package io.rocketcluster.broker.registry;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.rocketcluster.broker.config.BrokerConfig;
import io.rocketcluster.broker.config.HostResolver;
import io.rocketcluster.remoting.data.TopicConfigSerializeWrapper;
import io.rocketcluster.remoting.netty.NettyRemotingClient;
import io.rocketcluster.remoting.netty.NettyRemotingServer;
import io.rocketcluster.remoting.netty.RemotingFrameDecoder;
import io.rocketcluster.remoting.netty.RemotingFrameEncoder;
import io.rocketcluster.remoting.netty.NettyServerConfig;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        return registrar(config, HostResolver.SYSTEM);
    }

    private NameServerRegistrar registrar(BrokerConfig config, HostResolver resolver) {
        NettyRemotingClient client = new NettyRemotingClient("registrar-test");
        closeables.add(client);
        return new NameServerRegistrar(config, config.getBrokerIP2() + ":" + (config.getListenPort() + 1), client,
                TopicConfigSerializeWrapper::new, masters::add, resolver);
    }

    /** A resolver answering from {@code names}; any other name does not resolve. */
    private static HostResolver fakeDns(Map<String, List<String>> names) {
        return host -> {
            List<String> ips = names.get(host);
            if (ips == null) {
                throw new UnknownHostException(host + ": Name or service not known");
            }
            InetAddress[] out = new InetAddress[ips.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = InetAddress.getByName(ips.get(i));
            }
            return out;
        };
    }

    /**
     * A nameserver stub bound to one address only (NettyRemotingServer binds all of them), so two can
     * share a port on 127.0.0.1 and 127.0.0.2; it records what it receives and answers SUCCESS.
     */
    private Channel stubNameServer(String ip, int port, List<RemotingCommand> inbox) throws InterruptedException {
        EventLoopGroup group = new NioEventLoopGroup(1);
        closeables.add(() -> group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly());
        Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(new RemotingFrameEncoder(), new RemotingFrameDecoder(),
                                new SimpleChannelInboundHandler<RemotingCommand>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, RemotingCommand req) {
                                        inbox.add(req);
                                        ctx.writeAndFlush(RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null));
                                    }
                                });
                    }
                })
                .bind(new InetSocketAddress(ip, port)).sync().channel();
        closeables.add(() -> ch.close().syncUninterruptibly());
        return ch;
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

    @Test
    void aNameExpandsToEveryAddressItResolvesToAndLiteralsStayAsTheyAre() {
        HostResolver dns = fakeDns(Map.of("demo-namesrv-headless.ns.svc", List.of("10.1.0.7", "10.1.0.8")));
        NameServerRegistrar r = registrar(config(
                "demo-namesrv-headless.ns.svc:9876; 10.9.9.9:9877 ;gone.invalid:9876;10.1.0.8:9876"), dns);

        assertThat(r.resolveTargets()).containsExactly(
                "10.1.0.7:9876", "10.1.0.8:9876", "10.9.9.9:9877", "gone.invalid:9876");
        assertThat(r.configuredNameServers()).containsExactly(
                "demo-namesrv-headless.ns.svc:9876", "10.9.9.9:9877", "gone.invalid:9876", "10.1.0.8:9876");
    }

    @Test
    void ipLiteralsAreNeverLookedUp() {
        NameServerRegistrar r = registrar(config("127.0.0.1:9876;[::1]:9877;::1:9878"), host -> {
            throw new AssertionError("looked up " + host);
        });
        assertThat(r.resolveTargets()).containsExactly("127.0.0.1:9876", "[::1]:9877", "::1:9878");
    }

    @Test
    void eachRoundResolvesAgainSoPodsThatComeAndGoAreFollowed() {
        Map<String, List<String>> records = new java.util.concurrent.ConcurrentHashMap<>(
                Map.of("ns.svc", List.of("10.1.0.7")));
        NameServerRegistrar r = registrar(config("ns.svc:9876"), fakeDns(records));
        assertThat(r.resolveTargets()).containsExactly("10.1.0.7:9876");

        records.put("ns.svc", List.of("10.1.0.8", "10.1.0.9"));
        assertThat(r.resolveTargets()).containsExactly("10.1.0.8:9876", "10.1.0.9:9876");
        assertThat(r.lastTargets()).containsExactly("10.1.0.8:9876", "10.1.0.9:9876");

        records.remove("ns.svc");
        assertThat(r.resolveTargets()).containsExactly("ns.svc:9876");
    }

    @Test
    void noNamesrvAddrMeansNoTargets() {
        NameServerRegistrar r = registrar(config(null));
        assertThat(r.configuredNameServers()).isEmpty();
        assertThat(r.resolveTargets()).isEmpty();
    }

    @Test
    void registersWithBothNameServersBehindOneName() throws Exception {
        List<RemotingCommand> first = new CopyOnWriteArrayList<>();
        List<RemotingCommand> second = new CopyOnWriteArrayList<>();
        int port = ((InetSocketAddress) stubNameServer("127.0.0.1", 0, first).localAddress()).getPort();
        try {
            stubNameServer("127.0.0.2", port, second);
        } catch (Exception e) {
            Assumptions.abort("cannot bind 127.0.0.2 (only Linux routes all of 127/8 to lo): " + e);
        }
        NameServerRegistrar r = registrar(config("namesrv-headless.test.svc:" + port),
                fakeDns(Map.of("namesrv-headless.test.svc", List.of("127.0.0.1", "127.0.0.2"))));

        assertThat(r.registerAll().join()).isEqualTo(2);
        assertThat(first).singleElement().satisfies(req -> assertThat(req.code()).isEqualTo(RequestCode.REGISTER_BROKER));
        assertThat(second).singleElement().satisfies(req -> assertThat(req.code()).isEqualTo(RequestCode.REGISTER_BROKER));
        assertThat(r.lastTargets()).containsExactly("127.0.0.1:" + port, "127.0.0.2:" + port);

        r.unregisterAll();
        assertThat(first).extracting(RemotingCommand::code).containsExactly(RequestCode.REGISTER_BROKER,
                RequestCode.UNREGISTER_BROKER);
        assertThat(second).extracting(RemotingCommand::code).containsExactly(RequestCode.REGISTER_BROKER,
                RequestCode.UNREGISTER_BROKER);
    }
}
