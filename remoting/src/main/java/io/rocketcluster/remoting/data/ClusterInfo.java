package io.rocketcluster.remoting.data;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** GET_BROKER_CLUSTER_INFO response body. */
public class ClusterInfo {
    public Map<String, BrokerData> brokerAddrTable = new HashMap<>();
    public Map<String, Set<String>> clusterAddrTable = new HashMap<>();
}
