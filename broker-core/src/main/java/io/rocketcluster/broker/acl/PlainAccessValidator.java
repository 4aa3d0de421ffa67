package io.rocketcluster.broker.acl;

import io.rocketcluster.remoting.acl.Permission;
import io.rocketcluster.remoting.acl.AclRules;
import io.rocketcluster.remoting.acl.AclSignature;

import io.rocketcluster.remoting.data.ConsumerData;
import io.rocketcluster.remoting.data.HeartbeatData;
import io.rocketcluster.remoting.data.Json;
import io.rocketcluster.remoting.data.SubscriptionData;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Checks a request against the plain ACL rules (docs/acl.md §2): global white list, access key, the
 * account's white address, the signature, admin-only request codes, then the topic and group permissions
 * the request code needs. A refusal is the remark of a SYSTEM_ERROR answer, worded as RocketMQ words it
 * (clients and scripts match on it). Stateless apart from the rules it reads; thread-safe.
 */
public final class PlainAccessValidator {
    private static final String RETRY = "%RETRY%";
    private static final String EXCEPTION = "org.apache.rocketmq.acl.common.AclException: ";
    private static final String VALIDATE_AT = ", org.apache.rocketmq.acl.plain.PlainPermissionManager.validate(PlainPermissionManager.java:";
    private static final String CHECK_PERM_AT = ", org.apache.rocketmq.acl.plain.PlainPermissionManager.checkPerm(PlainPermissionManager.java:";
    private static final String PARSE_AT = ", org.apache.rocketmq.acl.plain.PlainAccessValidator.parse(PlainAccessValidator.java:134)";

    /**
     * Request codes only an {@code admin: true} account may send: RocketMQ's five (topic and group create and
     * delete, broker config) and, stricter, offset resets, broker write permission, store maintenance, replication
     * divergence resolution and the
     * ACL administration requests that change accounts or reveal secret keys.
     */
    public static final Set<Integer> ADMIN_CODES = Set.of(
            RequestCode.UPDATE_AND_CREATE_TOPIC, RequestCode.DELETE_TOPIC_IN_BROKER,
            RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, RequestCode.DELETE_SUBSCRIPTIONGROUP,
            RequestCode.UPDATE_BROKER_CONFIG, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET,
            RequestCode.RESET_CONSUMER_CLIENT_OFFSET, RequestCode.CLONE_GROUP_OFFSET,
            RequestCode.WIPE_WRITE_PERM_OF_BROKER, RequestCode.ADD_WRITE_PERM_OF_BROKER,
            RequestCode.CLEAN_EXPIRED_CONSUMEQUEUE, RequestCode.CLEAN_UNUSED_TOPIC, RequestCode.DELETE_EXPIRED_COMMITLOG,
            RequestCode.HA_RESOLVE_DIVERGENCE,
            AclRequestCodes.UPDATE_AND_CREATE_ACL_CONFIG, AclRequestCodes.DELETE_ACL_CONFIG,
            AclRequestCodes.UPDATE_GLOBAL_WHITE_ADDRS_CONFIG, AclRequestCodes.GET_BROKER_CLUSTER_ACL_CONFIG);

    private final Supplier<AclRules> rules;

    public PlainAccessValidator(Supplier<AclRules> rules) {
        this.rules = rules;
    }

    /** A resource a request needs, with the permission it needs on it. */
    record Needed(String name, boolean group, byte perm) {
        String describe() {
            return (group ? "group:" : "topic:") + name;
        }
    }

    /** Null when {@code request} from {@code remoteIp} is allowed, else the remark of its refusal. */
    public String refusal(String remoteIp, RemotingCommand request) {
        AclRules r = rules.get();
        if (r.globallyWhite(remoteIp)) {
            return null;
        }
        Map<String, String> ext = request.extFields();
        String accessKey = ext == null ? null : ext.get(AclSignature.ACCESS_KEY);
        if (accessKey == null) {
            return EXCEPTION + "No accessKey is configured" + VALIDATE_AT + "663)";
        }
        AclRules.Account account = r.account(accessKey);
        if (account == null) {
            return EXCEPTION + "No acl config for " + accessKey + VALIDATE_AT + "667)";
        }
        if (account.whiteRemoteAddress().matches(remoteIp)) {
            return null;
        }
        if (!AclSignature.verify(ext, request.body(), account.secretKey(), ext.get(AclSignature.SIGNATURE))) {
            return EXCEPTION + "Check signature failed for accessKey=" + accessKey + VALIDATE_AT + "683)";
        }
        if (ADMIN_CODES.contains(request.code()) && !account.admin()) {
            return EXCEPTION + "Need admin permission for request code=" + request.code() + ", but accessKey="
                    + accessKey + " is not" + CHECK_PERM_AT + "580)";
        }
        List<Needed> needed;
        try {
            needed = needed(request);
        } catch (RuntimeException e) {
            return EXCEPTION + e.getMessage() + PARSE_AT;
        }
        if (needed.isEmpty() || (account.admin() && account.topicPerms().isEmpty() && account.groupPerms().isEmpty())) {
            return null;
        }
        for (Needed n : needed) {
            Byte explicit = n.group() ? account.groupPerms().get(n.name()) : account.topicPerms().get(n.name());
            byte owned = explicit != null ? explicit : n.group() ? account.defaultGroupPerm() : account.defaultTopicPerm();
            if (!Permission.allows(n.perm(), owned)) {
                return EXCEPTION + "No default permission for " + n.describe() + CHECK_PERM_AT
                        + (explicit != null ? "610)" : "605)");
            }
        }
        return null;
    }

    /** The resources a request code touches (docs/acl.md §2.2); a {@code %RETRY%} topic is its group. */
    static List<Needed> needed(RemotingCommand request) {
        List<Needed> needed = new ArrayList<>();
        switch (request.code()) {
            case RequestCode.SEND_MESSAGE -> topic(needed, request.get("topic"), Permission.PUB);
            case RequestCode.SEND_MESSAGE_V2, RequestCode.SEND_BATCH_MESSAGE ->
                    topic(needed, request.get("b"), Permission.PUB);
            case RequestCode.CONSUMER_SEND_MSG_BACK -> group(needed, request.get("group"));
            case RequestCode.PULL_MESSAGE, RequestCode.LITE_PULL_MESSAGE, RequestCode.UPDATE_CONSUMER_OFFSET -> {
                topic(needed, request.get("topic"), Permission.SUB);
                group(needed, request.get("consumerGroup"));
            }
            case RequestCode.QUERY_MESSAGE -> topic(needed, request.get("topic"), Permission.SUB);
            case RequestCode.HEART_BEAT -> {
                if (request.body() != null) {
                    HeartbeatData hb = Json.decode(request.body(), HeartbeatData.class);
                    for (ConsumerData c : hb.consumerDataSet) {
                        group(needed, c.groupName);
                        for (SubscriptionData s : c.subscriptionDataSet) {
                            topic(needed, s.topic, Permission.SUB);
                        }
                    }
                }
            }
            case RequestCode.UNREGISTER_CLIENT, RequestCode.GET_CONSUMER_LIST_BY_GROUP ->
                    group(needed, request.get("consumerGroup"));
            default -> {
            }
        }
        return needed;
    }

    /** A topic; sending to or pulling a group's {@code %RETRY%} topic needs SUB on the group instead. */
    private static void topic(List<Needed> needed, String topic, byte perm) {
        if (topic == null) {
            return;
        }
        if (topic.startsWith(RETRY)) {
            group(needed, topic.substring(RETRY.length()));
        } else {
            needed.add(new Needed(topic, false, perm));
        }
    }

    private static void group(List<Needed> needed, String group) {
        if (group != null) {
            needed.add(new Needed(group, true, Permission.SUB));
        }
    }
}
