package io.rocketcluster.remoting.data;

import java.util.ArrayList;
import java.util.List;

/** REGISTER_BROKER request body, uncompressed form (docs/remoting.md §4.4). */
public class RegisterBrokerBody {
    public TopicConfigSerializeWrapper topicConfigSerializeWrapper = new TopicConfigSerializeWrapper();
    public List<String> filterServerList = new ArrayList<>();
}
