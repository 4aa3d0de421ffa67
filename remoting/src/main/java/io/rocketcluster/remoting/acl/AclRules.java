package io.rocketcluster.remoting.acl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded {@code plain_acl.yml}, checked and compiled: the global white list and the accounts by access
 * key (the first of duplicates wins). Building it validates everything, so a bad file never replaces a
 * good one. Immutable.
 */
public final class AclRules {
    /** An account, compiled. */
    public record Account(String accessKey, String secretKey, RemoteAddressPattern whiteRemoteAddress, boolean admin,
                          byte defaultTopicPerm, byte defaultGroupPerm, Map<String, Byte> topicPerms,
                          Map<String, Byte> groupPerms) {
    }

    private final List<RemoteAddressPattern> globalWhite;
    private final Map<String, Account> accounts;

    private AclRules(List<RemoteAddressPattern> globalWhite, Map<String, Account> accounts) {
        this.globalWhite = globalWhite;
        this.accounts = accounts;
    }

    /** @throws IllegalArgumentException naming what is wrong (RocketMQ's message where it has one) */
    public static AclRules compile(PlainAclConfig config) {
        List<RemoteAddressPattern> white = new ArrayList<>();
        for (String p : config.globalWhiteRemoteAddresses) {
            white.add(RemoteAddressPattern.parse(p));
        }
        Map<String, Account> accounts = new LinkedHashMap<>();
        for (PlainAclConfig.Account a : config.accounts) {
            if (a == null) {
                continue;
            }
            if (a.accessKey == null || a.secretKey == null || a.accessKey.length() <= 6 || a.secretKey.length() <= 6) {
                // RocketMQ's wording, but the secret is never written to a log
                throw new IllegalArgumentException("The accessKey=" + a.accessKey + " and secretKey="
                        + (a.secretKey == null ? null : "(" + a.secretKey.length() + " characters, not shown)")
                        + " cannot be null and length should longer than 6");
            }
            accounts.putIfAbsent(a.accessKey, new Account(a.accessKey, a.secretKey,
                    RemoteAddressPattern.parse(a.whiteRemoteAddress), a.admin, Permission.parse(a.defaultTopicPerm),
                    Permission.parse(a.defaultGroupPerm), perms(a.topicPerms, "topic"), perms(a.groupPerms, "group")));
        }
        return new AclRules(List.copyOf(white), Map.copyOf(accounts));
    }

    private static Map<String, Byte> perms(List<String> entries, String kind) {
        Map<String, Byte> perms = new HashMap<>();
        if (entries == null) {
            return perms;
        }
        for (String entry : entries) {
            String[] parts = entry == null ? new String[0] : entry.split("=+");
            if (parts.length != 2) {
                throw new IllegalArgumentException("Parse resource permission failed for " + kind + ":" + entry);
            }
            perms.put(parts[0].trim(), Permission.parse(parts[1].trim()));
        }
        return Map.copyOf(perms);
    }

    public boolean globallyWhite(String remoteIp) {
        return globalWhite.stream().anyMatch(p -> p.matches(remoteIp));
    }

    public Account account(String accessKey) {
        return accessKey == null ? null : accounts.get(accessKey);
    }

    public int accountCount() {
        return accounts.size();
    }
}
