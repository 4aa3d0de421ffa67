package io.rocketcluster.remoting.data;

import java.util.ArrayList;
import java.util.List;

/** The list-shaped reset body C++ clients ask for (request language CPP). */
public class ResetOffsetBodyForC {
    /** One queue and its new offset. */
    public static class QueueOffset {
        public String topic;
        public String brokerName;
        public int queueId;
        public long offset;

        public QueueOffset() {
        }

        public QueueOffset(MessageQueue mq, long offset) {
            this.topic = mq.topic;
            this.brokerName = mq.brokerName;
            this.queueId = mq.queueId;
            this.offset = offset;
        }
    }

    public List<QueueOffset> offsetTable = new ArrayList<>();
}
