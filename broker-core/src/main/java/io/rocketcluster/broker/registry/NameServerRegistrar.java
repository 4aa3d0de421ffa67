package io.rocketcluster.broker.registry;

import io.rocketcluster.broker.config.BrokerConfig;
import io.rocketcluster.broker.config.HostResolver;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.RegisterBrokerBody;
import io.rocketcluster.remoting.data.TopicConfigSerializeWrapper;
import io.rocketcluster.remoting.netty.NettyRemotingClient;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Registers the broker with every nameserver in {@code namesrvAddr} in parallel (REGISTER_BROKER)
 * and unregisters at shutdown. A slave learns its master's addresses from the responses.
 *
 * <p>An entry whose host is a DNS name stands for every address it resolves to (a Kubernetes headless
 * Service names all nameserver pods): each round expands it into one {@code ip:port} target per
 * address, so pods that come and go are followed without a restart. Thread-safe.
 */
public final class NameServerRegistrar {
    private static final Logger LOG = LogManager.getLogger(NameServerRegistrar.class);

    /** REGISTER_BROKER extField carrying {@code brokerExternalAddr} (RocketCluster nameservers read it). */
    public static final String EXTERNAL_ADDR_FIELD = "brokerExternalAddr";

    /** A dotted-quad IPv4 literal; an IPv6 literal is recognised by its colons. */
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** What a nameserver answered to a slave: the master's HA and client addresses. */
    public record MasterInfo(String haServerAddr, String masterAddr) {
        /**
         * Where the slave pulls the master's metadata: the master's client port on the host of its
         * HA address ({@code brokerIP2}, port haPort-1, as the HA port is always listenPort+1), which
         * the slave reaches anyway to replicate. {@code masterAddr} ({@code brokerIP1}) may be an
         * address for clients only (a public or published address). Falls back to {@code masterAddr}
         * when the HA address does not parse.
         */
        public String metadataAddr() {
            if (haServerAddr != null) {
                int colon = haServerAddr.lastIndexOf(':');
                if (colon > 0) {
                    try {
                        int haPort = Integer.parseInt(haServerAddr.substring(colon + 1).trim());
                        if (haPort > 3 && haPort <= 65535) {
                            return haServerAddr.substring(0, colon) + ":" + (haPort - 1);
                        }
                    } catch (NumberFormatException e) {
                        // fall back below
                    }
                }
            }
            return masterAddr;
        }
    }

    private final BrokerConfig config;
    private final String haServerAddr;
    private final NettyRemotingClient client;
    private final Supplier<TopicConfigSerializeWrapper> topics;
    private final Consumer<MasterInfo> masterListener;
    private final HostResolver resolver;
    /** The targets of the last round, to log (and drop connections) only when they change. */
    private List<String> lastTargets = List.of();

    public NameServerRegistrar(BrokerConfig config, String haServerAddr, NettyRemotingClient client,
                               Supplier<TopicConfigSerializeWrapper> topics, Consumer<MasterInfo> masterListener) {
        this(config, haServerAddr, client, topics, masterListener, HostResolver.SYSTEM);
    }

    public NameServerRegistrar(BrokerConfig config, String haServerAddr, NettyRemotingClient client,
                               Supplier<TopicConfigSerializeWrapper> topics, Consumer<MasterInfo> masterListener,
                               HostResolver resolver) {
        this.config = config;
        this.haServerAddr = haServerAddr;
        this.client = client;
        this.topics = topics;
        this.masterListener = masterListener;
        this.resolver = resolver;
    }

    /** The {@code namesrvAddr} entries as configured (host names unresolved); empty when none is set. */
    public List<String> configuredNameServers() {
        String addr = config.getNamesrvAddr();
        if (addr == null || addr.isBlank()) {
            return List.of();
        }
        return Arrays.stream(addr.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The targets the last registration or unregistration round addressed ({@code ip:port} where resolved). */
    public synchronized List<String> lastTargets() {
        return lastTargets;
    }

    /**
     * Resolves the configured entries now: a DNS name becomes one {@code ip:port} per address, an IP
     * literal stays as it is, a name that does not resolve stays as configured (so its connect error
     * names it); duplicates are dropped, the order kept.
     */
    public List<String> resolveTargets() {
        Set<String> targets = new LinkedHashSet<>();
        for (String entry : configuredNameServers()) {
            int colon = entry.lastIndexOf(':');
            String host = colon > 0 ? entry.substring(0, colon) : entry;
            if (colon <= 0 || host.contains(":") || IPV4.matcher(host).matches()) {
                targets.add(entry);
                continue;
            }
            try {
                for (InetAddress a : resolver.resolve(host)) {
                    targets.add(a.getHostAddress() + entry.substring(colon));
                }
            } catch (UnknownHostException e) {
                LOG.warn("nameserver {}: {} does not resolve ({}); trying it as configured", entry, host,
                        e.getMessage());
                targets.add(entry);
            }
        }
        List<String> result = List.copyOf(targets);
        remember(result);
        return result;
    }

    private synchronized void remember(List<String> targets) {
        if (targets.equals(lastTargets)) {
            return;
        }
        LOG.info("nameserver targets {} (namesrvAddr {})", targets, config.getNamesrvAddr());
        for (String gone : lastTargets) {
            if (!targets.contains(gone)) {
                client.closeChannel(gone);
            }
        }
        lastTargets = targets;
    }

    /** Registers with all nameservers (names resolved anew); completes when every one has answered or failed. */
    public CompletableFuture<Integer> registerAll() {
        byte[] body = Json.encode(registerBody());
        List<CompletableFuture<Boolean>> calls = new ArrayList<>();
        for (String ns : resolveTargets()) {
            RemotingCommand req = RemotingCommand.request(RequestCode.REGISTER_BROKER)
                    .put("brokerName", config.getBrokerName())
                    .put("brokerAddr", config.brokerAddr())
                    .put("clusterName", config.getBrokerClusterName())
                    .put("haServerAddr", haServerAddr)
                    .put("brokerId", config.getBrokerId())
                    .put("compressed", false)
                    .put("bodyCrc32", crc32(body))
                    .body(body);
            String external = config.getBrokerExternalAddr();
            if (external != null && !external.isBlank()) {
                req.put(EXTERNAL_ADDR_FIELD, external);
            }
            calls.add(client.invokeAsync(ns, req, config.getRegisterBrokerTimeoutMills()).handle((resp, err) -> {
                if (err != null) {
                    LOG.warn("register with nameserver {} failed: {}", ns, err.getMessage());
                    return false;
                }
                if (resp.code() != ResponseCode.SUCCESS) {
                    LOG.warn("nameserver {} refused registration: {} {}", ns, resp.code(), resp.remark());
                    return false;
                }
                String master = resp.get("masterAddr");
                if (master != null && masterListener != null) {
                    masterListener.accept(new MasterInfo(resp.get("haServerAddr"), master));
                }
                return true;
            }));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .thenApply(v -> (int) calls.stream().filter(CompletableFuture::join).count());
    }

    /** Unregisters from every nameserver (names resolved anew), one after the other. */
    public void unregisterAll() {
        for (String ns : resolveTargets()) {
            RemotingCommand req = RemotingCommand.request(RequestCode.UNREGISTER_BROKER)
                    .put("brokerName", config.getBrokerName())
                    .put("brokerAddr", config.brokerAddr())
                    .put("clusterName", config.getBrokerClusterName())
                    .put("brokerId", config.getBrokerId());
            try {
                client.invokeSync(ns, req, 3000);
                LOG.info("unregistered from nameserver {}", ns);
            } catch (Exception e) {
                LOG.warn("unregister from nameserver {} failed: {}", ns, e.getMessage());
            }
        }
    }

    private RegisterBrokerBody registerBody() {
        RegisterBrokerBody b = new RegisterBrokerBody();
        b.topicConfigSerializeWrapper = topics.get();
        return b;
    }

    private static int crc32(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return (int) (crc.getValue() & 0x7FFFFFFF);
    }
}
