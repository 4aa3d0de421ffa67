package io.rocketcluster.remoting.data;

import java.util.ArrayList;
import java.util.List;

/** REGISTER_BROKER request body, uncompressed form (protocol.md §7.3). */
public class RegisterBrokerBody {
    public TopicConfigSerializeWrapper topicConfigSerializeWrapper = new TopicConfigSerializeWrapper();
    public List<String> filterServerList = new ArrayList<>();
}
