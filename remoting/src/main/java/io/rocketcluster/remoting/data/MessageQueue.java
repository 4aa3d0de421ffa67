package io.rocketcluster.remoting.data;

import java.util.Objects;

/** A queue: topic, broker group and queue id. */
public class MessageQueue {
    public String topic;
    public String brokerName;
    public int queueId;

    public MessageQueue() {
    }

    public MessageQueue(String topic, String brokerName, int queueId) {
        this.topic = topic;
        this.brokerName = brokerName;
        this.queueId = queueId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageQueue m && m.queueId == queueId && Objects.equals(m.topic, topic)
                && Objects.equals(m.brokerName, brokerName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, brokerName, queueId);
    }

    @Override
    public String toString() {
        return "MessageQueue[" + topic + "/" + brokerName + "/" + queueId + "]";
    }
}
