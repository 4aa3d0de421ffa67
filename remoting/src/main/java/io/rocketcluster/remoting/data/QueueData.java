package io.rocketcluster.remoting.data;

/** One broker group's queues of a topic, in a route. */
public class QueueData {
    public String brokerName;
    public int readQueueNums;
    public int writeQueueNums;
    public int perm;
    public int topicSysFlag;

    public QueueData() {
    }

    public QueueData(String brokerName, TopicConfig config) {
        this.brokerName = brokerName;
        this.readQueueNums = config.readQueueNums;
        this.writeQueueNums = config.writeQueueNums;
        this.perm = config.perm;
        this.topicSysFlag = config.topicSysFlag;
    }

    public QueueData copy() {
        QueueData q = new QueueData();
        q.brokerName = brokerName;
        q.readQueueNums = readQueueNums;
        q.writeQueueNums = writeQueueNums;
        q.perm = perm;
        q.topicSysFlag = topicSysFlag;
        return q;
    }

    public boolean sameAs(QueueData o) {
        return o != null && o.brokerName.equals(brokerName) && o.readQueueNums == readQueueNums
                && o.writeQueueNums == writeQueueNums && o.perm == perm && o.topicSysFlag == topicSysFlag;
    }
}
