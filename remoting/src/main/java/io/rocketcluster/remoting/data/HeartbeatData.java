package io.rocketcluster.remoting.data;

import java.util.ArrayList;
import java.util.List;

/** HEART_BEAT request body (docs/remoting.md §10.1). */
public class HeartbeatData {
    public String clientID;
    public List<ProducerData> producerDataSet = new ArrayList<>();
    public List<ConsumerData> consumerDataSet = new ArrayList<>();
}
