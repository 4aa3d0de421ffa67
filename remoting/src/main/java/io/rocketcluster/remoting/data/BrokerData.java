package io.rocketcluster.remoting.data;

import java.util.TreeMap;

/** A broker group: its cluster, name and addresses by broker id (0 = master). */
public class BrokerData {
    public String cluster;
    public String brokerName;
    public TreeMap<Long, String> brokerAddrs = new TreeMap<>();

    public BrokerData() {
    }

    public BrokerData(String cluster, String brokerName) {
        this.cluster = cluster;
        this.brokerName = brokerName;
    }

    public BrokerData copy() {
        BrokerData b = new BrokerData(cluster, brokerName);
        b.brokerAddrs = new TreeMap<>(brokerAddrs);
        return b;
    }

    /** The master's address, else the first slave's, else null. */
    public String selectAddress() {
        String master = brokerAddrs.get(0L);
        return master != null ? master : brokerAddrs.isEmpty() ? null : brokerAddrs.firstEntry().getValue();
    }
}
