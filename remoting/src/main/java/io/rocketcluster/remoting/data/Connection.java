package io.rocketcluster.remoting.data;

/** One client connection as admin tools show it. */
public class Connection {
    public String clientId;
    public String clientAddr;
    public String language;
    public int version;

    public Connection() {
    }

    public Connection(String clientId, String clientAddr, String language, int version) {
        this.clientId = clientId;
        this.clientAddr = clientAddr;
        this.language = language;
        this.version = version;
    }
}
