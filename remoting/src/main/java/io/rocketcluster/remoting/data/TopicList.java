package io.rocketcluster.remoting.data;

import java.util.Set;
import java.util.TreeSet;

/** A list of topic names, optionally with a broker address to ask for more. */
public class TopicList {
    public Set<String> topicList = new TreeSet<>();
    public String brokerAddr;

    public TopicList() {
    }

    public TopicList(Set<String> topics) {
        this.topicList = new TreeSet<>(topics);
    }
}
