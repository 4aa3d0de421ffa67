package io.rocketcluster.namesrv.kvconfig;

import java.util.Map;
import java.util.TreeMap;

/** The kvConfig.json document: {@code {"configTable":{namespace:{key:value}}}} (docs/remoting.md §4.5). */
public class KvConfigSerializeWrapper {
    public Map<String, Map<String, String>> configTable = new TreeMap<>();
}
