package io.rocketcluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.rocketcluster.remoting.netty.NettyRemotingClient;
import io.rocketcluster.remoting.netty.RemotingException;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The remoting calls mqadmin makes (docs/remoting.md §9), to the nameservers named by {@code -n} and to
 * brokers, answering JSON bodies as {@link JsonNode}s read with {@link FastJson}. A nameserver call
 * tries each nameserver in turn until one answers. Not thread-safe; one per command run.
 */
public final class AdminClient implements AutoCloseable {
    private final NettyRemotingClient client = new NettyRemotingClient("mqadmin");
    private final List<String> nameServers;
    private final long timeoutMillis;

    public AdminClient(String namesrvAddr, long timeoutMillis) {
        this(namesrvAddr, timeoutMillis, null);
    }

    /** @param credentials signs every request (ACL), or null for unsigned requests */
    public AdminClient(String namesrvAddr, long timeoutMillis, io.rocketcluster.remoting.acl.AclCredentials credentials) {
        this(namesrvAddr, timeoutMillis, credentials, null);
    }

    /** @param tls TLS for every connection (see ClientTls), or null for plaintext */
    public AdminClient(String namesrvAddr, long timeoutMillis, io.rocketcluster.remoting.acl.AclCredentials credentials,
                       io.netty.handler.ssl.SslContext tls) {
        client.setRequestSigner(credentials);
        client.setTls(tls);
        this.nameServers = namesrvAddr == null ? List.of()
                : Arrays.stream(namesrvAddr.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        this.timeoutMillis = timeoutMillis;
    }

    public List<String> nameServers() {
        if (nameServers.isEmpty()) {
            throw new AdminException(AdminException.USAGE,
                    "no nameserver: give -n host:port[;host:port] or set NAMESRV_ADDR");
        }
        return nameServers;
    }

    /** Sends a request and returns the response, whatever its code; unreachable servers are exit code 3. */
    public RemotingCommand call(String addr, RemotingCommand request) {
        try {
            return client.invokeSync(addr, request, timeoutMillis);
        } catch (RemotingException e) {
            client.closeChannel(addr);
            throw new AdminException(AdminException.UNREACHABLE, "cannot reach " + addr + ": " + rootMessage(e), -1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException(AdminException.UNREACHABLE, "interrupted while calling " + addr);
        }
    }

    /** Sends a request and returns the response; a non-success answer is exit code 1. */
    public RemotingCommand callOk(String addr, RemotingCommand request, String what) {
        RemotingCommand r = call(addr, request);
        if (r.code() != ResponseCode.SUCCESS) {
            throw AdminException.refused(what + " at " + addr, r.code(), r.remark());
        }
        return r;
    }

    /** The first nameserver that answers. */
    public RemotingCommand callNamesrv(RemotingCommand request) {
        AdminException last = null;
        for (String ns : nameServers()) {
            try {
                return call(ns, request);
            } catch (AdminException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Sends to every nameserver; a map of address to response (or failure). */
    public Map<String, Object> callEveryNamesrv(java.util.function.Supplier<RemotingCommand> request) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String ns : nameServers()) {
            try {
                out.put(ns, call(ns, request.get()));
            } catch (AdminException e) {
                out.put(ns, e);
            }
        }
        return out;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return m == null ? c.getClass().getSimpleName() : m;
    }

    // ------------------------------------------------------------------ common nameserver lookups

    /** GET_BROKER_CLUSTER_INFO: {@code brokerAddrTable} and {@code clusterAddrTable}. */
    public ClusterView clusterInfo() {
        RemotingCommand r = callNamesrv(RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO));
        if (r.code() != ResponseCode.SUCCESS) {
            throw AdminException.refused("GET_BROKER_CLUSTER_INFO", r.code(), r.remark());
        }
        return ClusterView.of(FastJson.parse(r.body()));
    }

    /** GET_ROUTEINFO_BY_TOPIC; a topic without route is exit code 1. */
    public JsonNode route(String topic) {
        RemotingCommand r = callNamesrv(RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC).put("topic", topic));
        if (r.code() == ResponseCode.TOPIC_NOT_EXIST) {
            throw new AdminException(AdminException.REFUSED, "topic " + topic + " has no route: "
                    + (r.remark() == null ? "topic not exist" : r.remark()), r.code(), null);
        }
        if (r.code() != ResponseCode.SUCCESS) {
            throw AdminException.refused("GET_ROUTEINFO_BY_TOPIC " + topic, r.code(), r.remark());
        }
        return FastJson.parse(r.body());
    }

    /** All topic names the nameserver knows. */
    public TreeSet<String> topicList() {
        RemotingCommand r = callNamesrv(RemotingCommand.request(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER));
        if (r.code() != ResponseCode.SUCCESS) {
            throw AdminException.refused("GET_ALL_TOPIC_LIST_FROM_NAMESERVER", r.code(), r.remark());
        }
        TreeSet<String> out = new TreeSet<>();
        FastJson.parse(r.body()).path("topicList").forEach(t -> out.add(t.asText()));
        return out;
    }

    /** Each broker group of a route: name and the address to ask (master, else the lowest id). */
    public static Map<String, String> brokersOfRoute(JsonNode route) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode bd : route.path("brokerDatas")) {
            String addr = selectAddress(bd.path("brokerAddrs"));
            if (addr != null) {
                out.put(bd.path("brokerName").asText(), addr);
            }
        }
        return out;
    }

    /** Master address (id 0) of a {@code brokerAddrs} map, else the lowest id's. */
    public static String selectAddress(JsonNode brokerAddrs) {
        TreeMap<Long, String> byId = addresses(brokerAddrs);
        return byId.containsKey(0L) ? byId.get(0L) : byId.isEmpty() ? null : byId.firstEntry().getValue();
    }

    public static TreeMap<Long, String> addresses(JsonNode brokerAddrs) {
        TreeMap<Long, String> byId = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = brokerAddrs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                byId.put(Long.parseLong(e.getKey().trim()), e.getValue().asText());
            } catch (NumberFormatException ignored) {
                // not a broker id
            }
        }
        return byId;
    }

    /** The cluster view: broker groups and which cluster holds them. */
    public record ClusterView(Map<String, JsonNode> brokers, Map<String, List<String>> clusters) {
        static ClusterView of(JsonNode n) {
            Map<String, JsonNode> brokers = new TreeMap<>();
            n.path("brokerAddrTable").fields().forEachRemaining(e -> brokers.put(e.getKey(), e.getValue()));
            Map<String, List<String>> clusters = new TreeMap<>();
            n.path("clusterAddrTable").fields().forEachRemaining(e -> {
                List<String> names = new ArrayList<>();
                e.getValue().forEach(b -> names.add(b.asText()));
                names.sort(null);
                clusters.put(e.getKey(), names);
            });
            return new ClusterView(brokers, clusters);
        }

        /** Master addresses of a cluster's broker groups; an unknown cluster is exit code 1. */
        public List<String> masters(String cluster) {
            List<String> out = new ArrayList<>();
            for (String name : brokerNames(cluster)) {
                String m = addresses(brokers.get(name).path("brokerAddrs")).get(0L);
                if (m != null) {
                    out.add(m);
                }
            }
            return out;
        }

        /** Every address (masters and slaves) of a cluster. */
        public List<String> allAddresses(String cluster) {
            List<String> out = new ArrayList<>();
            for (String name : brokerNames(cluster)) {
                out.addAll(addresses(brokers.get(name).path("brokerAddrs")).values());
            }
            return out;
        }

        public List<String> brokerNames(String cluster) {
            List<String> names = clusters.get(cluster);
            if (names == null) {
                throw new AdminException(AdminException.REFUSED, "cluster " + cluster + " is not known to the nameserver");
            }
            return names.stream().filter(brokers::containsKey).toList();
        }

        /** The cluster holding a broker group, or "". */
        public String clusterOf(String brokerName) {
            for (Map.Entry<String, List<String>> e : clusters.entrySet()) {
                if (e.getValue().contains(brokerName)) {
                    return e.getKey();
                }
            }
            return "";
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
