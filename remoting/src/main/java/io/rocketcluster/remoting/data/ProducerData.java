package io.rocketcluster.remoting.data;

/** One producer group of a client's heartbeat. */
public class ProducerData {
    public String groupName;
}
