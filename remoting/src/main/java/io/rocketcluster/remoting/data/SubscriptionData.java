package io.rocketcluster.remoting.data;

import java.util.LinkedHashSet;
import java.util.Set;

/** One topic subscription of a consumer group: a tag expression or an SQL92 expression. */
public class SubscriptionData {
    public static final String SUB_ALL = "*";
    public static final String TAG = "TAG";
    public static final String SQL92 = "SQL92";

    public boolean classFilterMode;
    public String topic;
    public String subString;
    public Set<String> tagsSet = new LinkedHashSet<>();
    public Set<Integer> codeSet = new LinkedHashSet<>();
    public long subVersion = System.currentTimeMillis();
    public String expressionType = TAG;

    public boolean isTagType() {
        return expressionType == null || TAG.equals(expressionType);
    }

    public boolean subscribesAll() {
        return subString == null || subString.isEmpty() || SUB_ALL.equals(subString);
    }

    /** Parses a tag expression ({@code *} or {@code a || b}) into tags and their hash codes. */
    public static SubscriptionData ofTags(String topic, String expression) {
        SubscriptionData s = new SubscriptionData();
        s.topic = topic;
        if (expression == null || expression.isBlank() || SUB_ALL.equals(expression.trim())) {
            s.subString = SUB_ALL;
            return s;
        }
        s.subString = expression;
        for (String tag : expression.split("\\|\\|")) {
            String t = tag.trim();
            if (!t.isEmpty()) {
                s.tagsSet.add(t);
                s.codeSet.add(t.hashCode());
            }
        }
        return s;
    }
}
