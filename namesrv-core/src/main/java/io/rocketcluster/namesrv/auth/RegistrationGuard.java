package io.rocketcluster.namesrv.auth;

import io.rocketcluster.remoting.acl.AclRules;
import io.rocketcluster.remoting.acl.AclSignature;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;

import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code registrationAuthEnable=true} (docs/acl.md §7): every request that changes what the nameserver tells
 * clients (broker registration and unregistration, KV writes, topic deletion, broker write permission, the
 * nameserver's own config) must be signed, as the official client's AclClientRPCHook signs, by an
 * {@code admin: true} account of the nameserver's plain_acl.yml. Reads stay open, so clients without keys
 * still find routes. The global white list and an account's white address are honoured as on a broker.
 * Thread-safe.
 */
public final class RegistrationGuard {
    /** The requests that need an admin signature. */
    public static final Set<Integer> GUARDED_CODES = Set.of(RequestCode.REGISTER_BROKER, RequestCode.UNREGISTER_BROKER,
            RequestCode.PUT_KV_CONFIG, RequestCode.DELETE_KV_CONFIG, RequestCode.DELETE_TOPIC_IN_NAMESRV,
            RequestCode.WIPE_WRITE_PERM_OF_BROKER, RequestCode.ADD_WRITE_PERM_OF_BROKER, RequestCode.UPDATE_NAMESRV_CONFIG);
    private static final String EXCEPTION = "org.apache.rocketmq.acl.common.AclException: ";

    private final Supplier<AclRules> rules;

    public RegistrationGuard(Supplier<AclRules> rules) {
        this.rules = rules;
    }

    /** Null when {@code request} from {@code remoteIp} may run, else the remark of its SYSTEM_ERROR. */
    public String refusal(String remoteIp, RemotingCommand request) {
        if (!GUARDED_CODES.contains(request.code())) {
            return null;
        }
        AclRules r = rules.get();
        if (r.globallyWhite(remoteIp)) {
            return null;
        }
        Map<String, String> ext = request.extFields();
        String accessKey = ext == null ? null : ext.get(AclSignature.ACCESS_KEY);
        if (accessKey == null) {
            return EXCEPTION + "No accessKey is configured: request code " + request.code()
                    + " needs an admin account's signature (registrationAuthEnable=true); a broker signs with "
                    + "brokerAccessKey/brokerSecretKey";
        }
        AclRules.Account account = r.account(accessKey);
        if (account == null) {
            return EXCEPTION + "No acl config for " + accessKey;
        }
        if (account.whiteRemoteAddress().matches(remoteIp)) {
            return null;
        }
        if (!AclSignature.verify(ext, request.body(), account.secretKey(), ext.get(AclSignature.SIGNATURE))) {
            return EXCEPTION + "Check signature failed for accessKey=" + accessKey;
        }
        if (!account.admin()) {
            return EXCEPTION + "Need admin permission for request code=" + request.code() + ", but accessKey="
                    + accessKey + " is not";
        }
        return null;
    }
}
