package io.rocketcluster.remoting.data;

import java.util.LinkedHashMap;
import java.util.Map;

/** subscriptionGroup.json and GET_ALL_SUBSCRIPTIONGROUP_CONFIG body. */
public class SubscriptionGroupWrapper {
    public DataVersion dataVersion = new DataVersion();
    public Map<String, SubscriptionGroupConfig> subscriptionGroupTable = new LinkedHashMap<>();
}
