package io.rocketcluster.remoting.data;

/** One producer client in GET_ALL_PRODUCER_INFO. */
public class ProducerInfo {
    public String clientId;
    public String remoteIP;
    public String language;
    public int version;
    public long lastUpdateTimestamp;

    public ProducerInfo() {
    }

    public ProducerInfo(String clientId, String remoteIP, String language, int version, long lastUpdateTimestamp) {
        this.clientId = clientId;
        this.remoteIP = remoteIP;
        this.language = language;
        this.version = version;
        this.lastUpdateTimestamp = lastUpdateTimestamp;
    }
}
