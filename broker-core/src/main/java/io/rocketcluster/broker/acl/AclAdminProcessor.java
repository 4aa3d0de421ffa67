package io.rocketcluster.broker.acl;

import io.rocketcluster.remoting.acl.Permission;
import io.rocketcluster.remoting.acl.PlainAclConfig;
import io.rocketcluster.remoting.acl.PlainAclFile;
import io.netty.channel.Channel;
import io.rocketcluster.broker.config.BrokerConfig;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.ResponseCode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The ACL administration requests (docs/acl.md §4), which mqadmin's {@code updateAclConfig},
 * {@code deleteAccessConfig}, {@code updateGlobalWhiteAddr}, {@code clusterAclConfigVersion} and
 * {@code getAclConfig} send: they rewrite the broker's {@code plain_acl.yml} and take effect at once.
 * Who may send them is the validator's business (all but 52 need an admin account). With ACL off every
 * one is answered SYSTEM_ERROR naming {@code aclEnable}. Thread-safe.
 */
public final class AclAdminProcessor implements RequestProcessor {
    static final int UPDATE_FAILED = 209;
    static final int DELETE_FAILED = 210;
    static final int WHITE_LIST_FAILED = 211;

    private final PlainAclFile acl;
    private final BrokerConfig broker;
    private final LongSupplier clock;

    /** @param acl null when ACL is off */
    public AclAdminProcessor(PlainAclFile acl, BrokerConfig broker, LongSupplier clock) {
        this.acl = acl;
        this.broker = broker;
        this.clock = clock;
    }

    public static int[] codes() {
        return new int[] {AclRequestCodes.UPDATE_AND_CREATE_ACL_CONFIG, AclRequestCodes.DELETE_ACL_CONFIG,
            AclRequestCodes.GET_BROKER_CLUSTER_ACL_INFO, AclRequestCodes.UPDATE_GLOBAL_WHITE_ADDRS_CONFIG,
            AclRequestCodes.GET_BROKER_CLUSTER_ACL_CONFIG};
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) throws IOException {
        if (acl == null) {
            return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR,
                    "ACL is not enabled on this broker (aclEnable=false)");
        }
        return switch (request.code()) {
            case AclRequestCodes.UPDATE_AND_CREATE_ACL_CONFIG -> createOrUpdate(request);
            case AclRequestCodes.DELETE_ACL_CONFIG -> delete(request);
            case AclRequestCodes.GET_BROKER_CLUSTER_ACL_INFO -> version(request);
            case AclRequestCodes.UPDATE_GLOBAL_WHITE_ADDRS_CONFIG -> whiteList(request);
            case AclRequestCodes.GET_BROKER_CLUSTER_ACL_CONFIG -> config(request);
            default -> throw new IllegalArgumentException("unexpected code " + request.code());
        };
    }

    /** Overwrites the given keys of the account (a new one is appended); admin is always set. */
    private RemotingCommand createOrUpdate(RemotingCommand request) throws IOException {
        String accessKey = request.get("accessKey");
        String secretKey = request.get("secretKey");
        if (accessKey == null || secretKey == null || accessKey.length() <= 6 || secretKey.length() <= 6) {
            return fail(request, UPDATE_FAILED, "The accessKey=" + accessKey + " and secretKey=" + secretKey
                    + " cannot be null and length should longer than 6");
        }
        List<String> topicPerms = perms(request.get("topicPerms"));
        List<String> groupPerms = perms(request.get("groupPerms"));
        for (String entry : concat(topicPerms, groupPerms)) {
            String[] parts = entry.split("=");
            if (parts.length != 2) {
                return fail(request, UPDATE_FAILED, "Parse Resource format error for " + entry
                        + ".\nThe expected resource format is 'Res=Perm'. For example: topicA=SUB");
            }
            if (!Permission.isValid(parts[1].trim())) {
                return fail(request, UPDATE_FAILED, "Parse resource permission error for " + entry
                        + ".\nThe expected permissions are 'SUB' or 'PUB' or 'SUB|PUB' or 'PUB|SUB'.");
            }
        }
        try {
            acl.update(c -> {
                PlainAclConfig.Account a = c.accounts.stream().filter(x -> x != null && accessKey.equals(x.accessKey))
                        .findFirst().orElse(null);
                if (a == null) {
                    a = new PlainAclConfig.Account();
                    c.accounts.add(a);
                }
                a.accessKey = accessKey;
                a.secretKey = secretKey;
                a.admin = Boolean.parseBoolean(request.get("admin"));
                String white = request.get("whiteRemoteAddress");
                if (white != null) {
                    a.whiteRemoteAddress = white;
                }
                String topic = request.get("defaultTopicPerm");
                if (topic != null) {
                    a.defaultTopicPerm = topic;
                }
                String group = request.get("defaultGroupPerm");
                if (group != null) {
                    a.defaultGroupPerm = group;
                }
                if (request.get("topicPerms") != null) {
                    a.topicPerms = topicPerms;
                }
                if (request.get("groupPerms") != null) {
                    a.groupPerms = groupPerms;
                }
            }, clock.getAsLong());
        } catch (IllegalArgumentException e) {
            return fail(request, UPDATE_FAILED, e.getMessage());
        }
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null);
    }

    private RemotingCommand delete(RemotingCommand request) throws IOException {
        String accessKey = request.require("accessKey");
        boolean[] found = {false};
        if (acl.read().accounts.stream().anyMatch(a -> a != null && accessKey.equals(a.accessKey))) {
            acl.update(c -> found[0] = c.accounts.removeIf(a -> a != null && accessKey.equals(a.accessKey)),
                    clock.getAsLong());
        }
        return found[0] ? RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null)
                : fail(request, DELETE_FAILED, "The accesskey[" + accessKey
                        + "] corresponding to accessConfig has been deleted failed.");
    }

    /** The file's version, for {@code clusterAclConfigVersion}; every field the 4.7 and 4.9 tools read. */
    private RemotingCommand version(RemotingCommand request) {
        String version = new String(Json.encode(versionOf(acl.version())), java.nio.charset.StandardCharsets.UTF_8);
        Map<String, Object> all = new LinkedHashMap<>();
        all.put(acl.path().toAbsolutePath().toString(), versionOf(acl.version()));
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null)
                .put("version", version)
                .put("allAclFileVersion", new String(Json.encode(all), java.nio.charset.StandardCharsets.UTF_8))
                .put("brokerName", broker.getBrokerName())
                .put("brokerAddr", broker.brokerAddr())
                .put("clusterName", broker.getBrokerClusterName());
    }

    private static Map<String, Object> versionOf(PlainAclConfig.Version v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("counter", v.counter);
        m.put("timestamp", v.timestamp);
        return m;
    }

    /** Replaces the global white list of this broker's file ({@code aclFileFullPath}, when given, must name it). */
    private RemotingCommand whiteList(RemotingCommand request) throws IOException {
        String addresses = request.require("globalWhiteAddrs");
        String file = request.get("aclFileFullPath");
        if (file != null && !file.isBlank() && !java.nio.file.Path.of(file).toAbsolutePath().normalize()
                .equals(acl.path().toAbsolutePath().normalize())) {
            return fail(request, WHITE_LIST_FAILED, "The aclFileFullPath[" + file + "] is not this broker's ACL file "
                    + acl.path().toAbsolutePath());
        }
        List<String> list = addresses.isBlank() ? List.of() : Arrays.stream(addresses.split(",")).map(String::trim)
                .filter(a -> !a.isEmpty()).toList();
        try {
            acl.update(c -> c.globalWhiteRemoteAddresses = new ArrayList<>(list), clock.getAsLong());
        } catch (IllegalArgumentException e) {
            return fail(request, WHITE_LIST_FAILED, e.getMessage());
        }
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null);
    }

    /** Every account, secret keys included (admin accounts only: see PlainAccessValidator.ADMIN_CODES). */
    private RemotingCommand config(RemotingCommand request) throws IOException {
        PlainAclConfig c = acl.read();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("globalWhiteAddrs", c.globalWhiteRemoteAddresses);
        List<Map<String, Object>> accounts = new ArrayList<>();
        for (PlainAclConfig.Account a : c.accounts) {
            if (a == null) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("accessKey", a.accessKey);
            m.put("secretKey", a.secretKey);
            m.put("whiteRemoteAddress", a.whiteRemoteAddress);
            m.put("admin", a.admin);
            m.put("defaultTopicPerm", a.defaultTopicPerm);
            m.put("defaultGroupPerm", a.defaultGroupPerm);
            m.put("topicPerms", a.topicPerms == null ? List.of() : a.topicPerms);
            m.put("groupPerms", a.groupPerms == null ? List.of() : a.groupPerms);
            accounts.add(m);
        }
        body.put("plainAccessConfigs", accounts);
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null).body(Json.encode(body));
    }

    private static List<String> perms(String joined) {
        if (joined == null || joined.isBlank()) {
            return new ArrayList<>();
        }
        return new ArrayList<>(Arrays.stream(joined.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static RemotingCommand fail(RemotingCommand request, int code, String remark) {
        return RemotingCommand.responseTo(request, code, remark);
    }
}
