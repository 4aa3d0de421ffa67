package io.rocketcluster.remoting.data;

import java.util.ArrayList;
import java.util.List;

/** QUERY_CONSUME_TIME_SPAN response body. */
public class QueryConsumeTimeSpanBody {
    public List<QueueTimeSpan> consumeTimeSpanSet = new ArrayList<>();
}
