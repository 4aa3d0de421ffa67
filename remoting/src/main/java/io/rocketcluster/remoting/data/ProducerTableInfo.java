package io.rocketcluster.remoting.data;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** GET_ALL_PRODUCER_INFO response body: producers by group. */
public class ProducerTableInfo {
    public Map<String, List<ProducerInfo>> data = new TreeMap<>();
}
