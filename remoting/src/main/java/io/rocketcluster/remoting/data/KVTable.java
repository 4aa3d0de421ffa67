package io.rocketcluster.remoting.data;

import java.util.HashMap;
import java.util.Map;

/** A string-to-string table body. */
public class KVTable {
    public Map<String, String> table = new HashMap<>();

    public KVTable() {
    }

    public KVTable(Map<String, String> table) {
        this.table = new HashMap<>(table);
    }
}
