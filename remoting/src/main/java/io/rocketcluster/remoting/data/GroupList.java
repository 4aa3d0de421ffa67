package io.rocketcluster.remoting.data;

import java.util.Set;
import java.util.TreeSet;

/** QUERY_TOPIC_CONSUME_BY_WHO response body. */
public class GroupList {
    public Set<String> groupList = new TreeSet<>();

    public GroupList() {
    }

    public GroupList(Set<String> groups) {
        this.groupList = new TreeSet<>(groups);
    }
}
