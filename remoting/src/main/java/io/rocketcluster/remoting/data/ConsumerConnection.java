package io.rocketcluster.remoting.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GET_CONSUMER_CONNECTION_LIST response body: a group's live members and what they subscribe. */
public class ConsumerConnection {
    public List<Connection> connectionSet = new ArrayList<>();
    public Map<String, SubscriptionData> subscriptionTable = new LinkedHashMap<>();
    public String consumeType;
    public String messageModel;
    public String consumeFromWhere;
}
