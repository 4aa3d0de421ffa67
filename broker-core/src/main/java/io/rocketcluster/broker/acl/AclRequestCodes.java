package io.rocketcluster.broker.acl;

/** The request codes of ACL administration (docs/acl.md §4). */
public final class AclRequestCodes {
    public static final int UPDATE_AND_CREATE_ACL_CONFIG = 50;
    public static final int DELETE_ACL_CONFIG = 51;
    public static final int GET_BROKER_CLUSTER_ACL_INFO = 52;
    public static final int UPDATE_GLOBAL_WHITE_ADDRS_CONFIG = 53;
    public static final int GET_BROKER_CLUSTER_ACL_CONFIG = 54;

    private AclRequestCodes() {
    }
}
