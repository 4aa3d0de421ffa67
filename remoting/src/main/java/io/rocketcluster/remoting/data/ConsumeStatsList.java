package io.rocketcluster.remoting.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** GET_BROKER_CONSUME_STATS response body: every group's ConsumeStats per topic, and the broker's total lag. */
public class ConsumeStatsList {
    public List<Map<String, List<ConsumeStats>>> consumeStatsList = new ArrayList<>();
    public String brokerAddr;
    public long totalDiff;
}
