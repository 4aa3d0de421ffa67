package io.rocketcluster.remoting.data;

import java.util.LinkedHashMap;
import java.util.Map;

/** A broker's topic table with its version (topics.json, registration and slave-sync bodies). */
public class TopicConfigSerializeWrapper {
    public DataVersion dataVersion = new DataVersion();
    public Map<String, TopicConfig> topicConfigTable = new LinkedHashMap<>();
}
