package io.rocketcluster.remoting.data;

/** A topic's queue counts and permissions, as brokers persist and register them. */
public class TopicConfig {
    public String topicName;
    public int readQueueNums = 16;
    public int writeQueueNums = 16;
    public int perm = Perm.READ | Perm.WRITE;
    public String topicFilterType = "SINGLE_TAG";
    public int topicSysFlag;
    public boolean order;

    public TopicConfig() {
    }

    public TopicConfig(String topicName, int readQueueNums, int writeQueueNums, int perm) {
        this.topicName = topicName;
        this.readQueueNums = readQueueNums;
        this.writeQueueNums = writeQueueNums;
        this.perm = perm;
    }

    public TopicConfig copy() {
        TopicConfig c = new TopicConfig(topicName, readQueueNums, writeQueueNums, perm);
        c.topicFilterType = topicFilterType;
        c.topicSysFlag = topicSysFlag;
        c.order = order;
        return c;
    }

    @Override
    public String toString() {
        return "TopicConfig[" + topicName + " r=" + readQueueNums + " w=" + writeQueueNums + " perm=" + perm + "]";
    }
}
