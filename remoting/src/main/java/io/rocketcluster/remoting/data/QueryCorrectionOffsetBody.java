package io.rocketcluster.remoting.data;

import java.util.Map;
import java.util.TreeMap;

/** QUERY_CORRECTION_OFFSET response body: per queue id, the offset every filter group has reached. */
public class QueryCorrectionOffsetBody {
    public Map<Integer, Long> correctionOffsets = new TreeMap<>();
}
