package io.rocketcluster.remoting.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** GET_ROUTEINFO_BY_TOPIC response body (docs/remoting.md §4.3). */
public class TopicRouteData {
    public String orderTopicConf;
    public List<QueueData> queueDatas = new ArrayList<>();
    public List<BrokerData> brokerDatas = new ArrayList<>();
    public Map<String, List<String>> filterServerTable = new HashMap<>();
}
