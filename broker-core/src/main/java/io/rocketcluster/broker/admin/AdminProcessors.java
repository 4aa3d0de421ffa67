package io.rocketcluster.broker.admin;

import io.netty.channel.Channel;
import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.remoting.netty.NettyRemotingServer;
import io.rocketcluster.remoting.netty.RemotingEndpoint;
import io.rocketcluster.remoting.netty.RequestProcessor;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * The broker's admin request processors (docs/remoting.md §7), grouped by concern, created once per
 * broker and registered on both client ports:
 * <ul>
 *   <li>{@link TopicAdminProcessor}: 17, 215, 202, 305</li>
 *   <li>{@link GroupAdminProcessor}: 200, 207</li>
 *   <li>{@link ConsumeStatsProcessor}: 208, 317, 300, 303, 308, 314</li>
 *   <li>{@link ConnectionInfoProcessor}: 203, 204, 328</li>
 *   <li>{@link BrokerConfigProcessor}: 25, 26</li>
 *   <li>{@link RuntimeInfoProcessor}: 28, 315</li>
 *   <li>{@link ResetOffsetProcessor}: 222</li>
 *   <li>{@link ClientRelayProcessor}: 307, 309</li>
 *   <li>{@link MaintenanceProcessor}: 306, 316, 329</li>
 * </ul>
 * Requests the broker sends to clients go out through the server that owns the client's connection.
 */
public final class AdminProcessors {
    private final List<NettyRemotingServer> servers = new CopyOnWriteArrayList<>();
    private final List<Entry> entries;

    private record Entry(int[] codes, RequestProcessor processor) {
    }

    public AdminProcessors(BrokerController broker) {
        this.entries = List.of(
                new Entry(TopicAdminProcessor.codes(), new TopicAdminProcessor(broker)),
                new Entry(GroupAdminProcessor.codes(), new GroupAdminProcessor(broker)),
                new Entry(ConsumeStatsProcessor.codes(), new ConsumeStatsProcessor(broker)),
                new Entry(ConnectionInfoProcessor.codes(), new ConnectionInfoProcessor(broker)),
                new Entry(BrokerConfigProcessor.codes(), new BrokerConfigProcessor(broker)),
                new Entry(RuntimeInfoProcessor.codes(), new RuntimeInfoProcessor(broker)),
                new Entry(ResetOffsetProcessor.codes(), new ResetOffsetProcessor(broker, this::endpointOf)),
                new Entry(ClientRelayProcessor.codes(), new ClientRelayProcessor(broker, this::endpointOf)),
                new Entry(MaintenanceProcessor.codes(), new MaintenanceProcessor()),
                new Entry(HaResolveProcessor.codes(), new HaResolveProcessor(broker)));
    }

    /** Registers every admin code on {@code server}, run on {@code executor}. */
    public void registerOn(NettyRemotingServer server, Executor executor) {
        servers.add(server);
        for (Entry e : entries) {
            for (int code : e.codes) {
                server.registerProcessor(code, e.processor, executor);
            }
        }
    }

    /** The server whose port {@code channel} is connected to (the first one when unknown). */
    RemotingEndpoint endpointOf(Channel channel) {
        if (channel.localAddress() instanceof InetSocketAddress local) {
            for (NettyRemotingServer s : servers) {
                if (s.localPort() == local.getPort()) {
                    return s;
                }
            }
        }
        return servers.get(0);
    }
}
