package io.rocketcluster.broker.processor;

import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;

/**
 * The send request header, from either field naming: SEND_MESSAGE uses Java field names,
 * SEND_MESSAGE_V2 / SEND_BATCH_MESSAGE single letters (docs/remoting.md §5).
 */
record SendHeader(String producerGroup, String topic, String defaultTopic, int defaultTopicQueueNums,
                  int queueId, int sysFlag, long bornTimestamp, int flag, String properties,
                  int reconsumeTimes, boolean unitMode, Integer maxReconsumeTimes, boolean batch) {

    SendHeader redirectedTo(String newTopic, int newQueueId) {
        return new SendHeader(producerGroup, newTopic, defaultTopic, defaultTopicQueueNums, newQueueId, sysFlag,
                bornTimestamp, flag, properties, reconsumeTimes, unitMode, maxReconsumeTimes, batch);
    }

    static SendHeader parse(RemotingCommand r) {
        boolean v2 = r.code() != RequestCode.SEND_MESSAGE;
        String max = r.get(v2 ? "l" : "maxReconsumeTimes");
        return new SendHeader(
                r.require(v2 ? "a" : "producerGroup"),
                r.require(v2 ? "b" : "topic"),
                r.require(v2 ? "c" : "defaultTopic"),
                r.requireInt(v2 ? "d" : "defaultTopicQueueNums"),
                r.requireInt(v2 ? "e" : "queueId"),
                r.requireInt(v2 ? "f" : "sysFlag"),
                r.requireLong(v2 ? "g" : "bornTimestamp"),
                r.requireInt(v2 ? "h" : "flag"),
                r.get(v2 ? "i" : "properties"),
                r.getInt(v2 ? "j" : "reconsumeTimes", 0),
                r.getBoolean(v2 ? "k" : "unitMode", false),
                max == null || max.isEmpty() ? null : r.getInt(v2 ? "l" : "maxReconsumeTimes", 16),
                r.getBoolean(v2 ? "m" : "batch", false));
    }
}
