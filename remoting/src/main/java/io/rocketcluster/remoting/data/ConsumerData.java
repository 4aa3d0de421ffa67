package io.rocketcluster.remoting.data;

import java.util.ArrayList;
import java.util.List;

/** One consumer group of a client's heartbeat. */
public class ConsumerData {
    public String groupName;
    public String consumeType;
    public String messageModel;
    public String consumeFromWhere;
    public List<SubscriptionData> subscriptionDataSet = new ArrayList<>();
    public boolean unitMode;

    public boolean isBroadcasting() {
        return "BROADCASTING".equals(messageModel);
    }
}
