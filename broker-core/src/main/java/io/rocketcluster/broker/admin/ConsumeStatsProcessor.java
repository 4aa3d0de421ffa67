package io.rocketcluster.broker.admin;

import io.netty.channel.Channel;
import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.client.ConsumerGroupInfo;
import io.rocketcluster.broker.topic.GroupValidator;
import io.rocketcluster.remoting.data.ConsumeStats;
import io.rocketcluster.remoting.data.ConsumeStatsList;
import io.rocketcluster.remoting.data.GroupList;
import io.rocketcluster.remoting.data.OffsetWrapper;
import io.rocketcluster.remoting.data.QueryConsumeTimeSpanBody;
import io.rocketcluster.remoting.data.QueryCorrectionOffsetBody;
import io.rocketcluster.remoting.data.QueueTimeSpan;
import io.rocketcluster.remoting.data.TopicConfig;
import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Consumer progress as admin tools and dashboards read it (docs/remoting.md §7): GET_CONSUME_STATS (208),
 * GET_BROKER_CONSUME_STATS (317), QUERY_TOPIC_CONSUME_BY_WHO (300), QUERY_CONSUME_TIME_SPAN (303),
 * QUERY_CORRECTION_OFFSET (308) and CLONE_GROUP_OFFSET (314). Progress is read from the committed
 * offsets and the consume queues; a topic the group's online members do not subscribe is left out.
 * Thread-safe (reads only, except the clone).
 */
final class ConsumeStatsProcessor implements RequestProcessor {
    private final BrokerController broker;

    ConsumeStatsProcessor(BrokerController broker) {
        this.broker = broker;
    }

    static int[] codes() {
        return new int[] {RequestCode.GET_CONSUME_STATS, RequestCode.GET_BROKER_CONSUME_STATS,
            RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, RequestCode.QUERY_CONSUME_TIME_SPAN,
            RequestCode.QUERY_CORRECTION_OFFSET, RequestCode.CLONE_GROUP_OFFSET};
    }

    @Override
    public RemotingCommand process(Channel channel, RemotingCommand request) {
        return switch (request.code()) {
            case RequestCode.GET_CONSUME_STATS -> consumeStats(request);
            case RequestCode.GET_BROKER_CONSUME_STATS -> brokerConsumeStats(request);
            case RequestCode.QUERY_TOPIC_CONSUME_BY_WHO -> Replies.ok(request, new GroupList(whoConsumes(request.require("topic"))));
            case RequestCode.QUERY_CONSUME_TIME_SPAN -> timeSpan(request);
            case RequestCode.QUERY_CORRECTION_OFFSET -> correctionOffset(request);
            case RequestCode.CLONE_GROUP_OFFSET -> cloneOffsets(request);
            default -> throw new IllegalArgumentException("unexpected code " + request.code());
        };
    }

    private RemotingCommand consumeStats(RemotingCommand request) {
        String group = request.require("consumerGroup");
        String invalid = GroupValidator.check(group);
        if (invalid != null) {
            return Replies.error(request, ResponseCode.SYSTEM_ERROR, invalid);
        }
        String topic = request.get("topic");
        Set<String> topics = Replies.isBlank(topic) ? topicsOf(group) : Set.of(topic);
        ConsumeStats stats = new ConsumeStats();
        for (String t : new TreeSet<>(topics)) {
            TopicConfig c = broker.topics().get(t);
            if (c == null || !subscribedIfOnline(group, t)) {
                continue;
            }
            fill(stats, group, t, c.readQueueNums);
            stats.consumeTps += broker.stats().traffic().groupGetTps(group, t);
        }
        return Replies.ok(request, stats);
    }

    private RemotingCommand brokerConsumeStats(RemotingCommand request) {
        boolean orderOnly = request.getBoolean("isOrder", false);
        ConsumeStatsList list = new ConsumeStatsList();
        list.brokerAddr = broker.brokerConfig().brokerAddr();
        for (String group : new TreeSet<>(broker.groups().snapshot().subscriptionGroupTable.keySet())) {
            List<ConsumeStats> perTopic = new java.util.ArrayList<>();
            for (String t : new TreeSet<>(topicsOf(group))) {
                TopicConfig c = broker.topics().get(t);
                if (c == null || (orderOnly && !c.order) || !subscribedIfOnline(group, t)) {
                    continue;
                }
                ConsumeStats stats = new ConsumeStats();
                fill(stats, group, t, c.writeQueueNums);
                stats.consumeTps = broker.stats().traffic().groupGetTps(group, t);
                list.totalDiff += stats.totalDiff();
                perTopic.add(stats);
            }
            list.consumeStatsList.add(Map.of(group, perTopic));
        }
        return Replies.ok(request, list);
    }

    /** Adds queues 0..queues-1 of {@code topic}: max offset, committed offset, store time of the last consumed message. */
    private void fill(ConsumeStats stats, String group, String topic, int queues) {
        for (int q = 0; q < queues; q++) {
            long brokerOffset = Math.max(0, broker.store().maxOffset(topic, q));
            long consumerOffset = Math.max(0, broker.offsets().query(group, topic, q));
            long last = consumerOffset > 0 ? Math.max(0, broker.store().storeTime(topic, q, consumerOffset - 1)) : 0;
            stats.offsetTable.put(Replies.queue(broker, topic, q), new OffsetWrapper(brokerOffset, consumerOffset, last));
        }
    }

    /** False when the group has members online and none of them subscribes {@code topic}. */
    private boolean subscribedIfOnline(String group, String topic) {
        ConsumerGroupInfo info = broker.consumers().group(group);
        return info == null || info.subscriptions().isEmpty() || info.subscription(topic) != null;
    }

    /** Groups online that subscribe {@code topic}, and groups with committed offsets in it. */
    private Set<String> whoConsumes(String topic) {
        Set<String> groups = new TreeSet<>();
        for (ConsumerGroupInfo g : broker.consumers().groups().values()) {
            if (g.subscription(topic) != null) {
                groups.add(g.groupName());
            }
        }
        for (String key : broker.offsets().snapshot().offsetTable.keySet()) {
            String[] tg = split(key);
            if (tg != null && tg[0].equals(topic)) {
                groups.add(tg[1]);
            }
        }
        return groups;
    }

    /** Topics in which {@code group} has committed offsets. */
    private Set<String> topicsOf(String group) {
        Set<String> topics = new HashSet<>();
        for (String key : broker.offsets().snapshot().offsetTable.keySet()) {
            String[] tg = split(key);
            if (tg != null && tg[1].equals(group)) {
                topics.add(tg[0]);
            }
        }
        return topics;
    }

    /** {@code topic@group} → {topic, group} (topic names cannot hold '@'). */
    private static String[] split(String key) {
        int at = key.indexOf('@');
        return at <= 0 ? null : new String[] {key.substring(0, at), key.substring(at + 1)};
    }

    private RemotingCommand timeSpan(RemotingCommand request) {
        String topic = request.require("topic");
        String group = request.require("group");
        String invalid = GroupValidator.check(group);
        if (invalid != null) {
            return Replies.error(request, ResponseCode.SYSTEM_ERROR, invalid);
        }
        TopicConfig c = broker.topics().get(topic);
        if (c == null) {
            return Replies.error(request, ResponseCode.TOPIC_NOT_EXIST, "topic[" + topic + "] not exist");
        }
        long now = System.currentTimeMillis();
        QueryConsumeTimeSpanBody body = new QueryConsumeTimeSpanBody();
        for (int q = 0; q < c.writeQueueNums; q++) {
            QueueTimeSpan span = new QueueTimeSpan();
            span.messageQueue = Replies.queue(broker, topic, q);
            span.minTimeStamp = broker.store().earliestStoreTime(topic, q);
            long max = broker.store().maxOffset(topic, q);
            span.maxTimeStamp = broker.store().storeTime(topic, q, max - 1);
            long consumed = broker.offsets().query(group, topic, q);
            span.consumeTimeStamp = consumed > 0 ? broker.store().storeTime(topic, q, consumed - 1) : span.minTimeStamp;
            if (consumed < max) {
                long next = broker.store().storeTime(topic, q, Math.max(consumed, broker.store().minOffset(topic, q)));
                span.delayTime = next > 0 ? now - next : 0;
            }
            body.consumeTimeSpanSet.add(span);
        }
        return Replies.ok(request, body);
    }

    /**
     * Per queue the smallest offset that every group but {@code filterGroups} has committed (ignoring
     * offsets below the queue's minimum); a queue where {@code compareGroup} is behind that is reported
     * as Long.MAX_VALUE, as RocketMQ does.
     */
    private RemotingCommand correctionOffset(RemotingCommand request) {
        String topic = request.require("topic");
        String compareGroup = request.require("compareGroup");
        String invalid = GroupValidator.check(compareGroup);
        if (invalid != null) {
            return Replies.error(request, ResponseCode.SYSTEM_ERROR, invalid);
        }
        String filter = request.get("filterGroups");
        Set<String> filtered = Replies.isBlank(filter) ? Set.of()
                : Arrays.stream(filter.split(",")).map(String::trim).collect(Collectors.toSet());
        Map<Integer, Long> min = new LinkedHashMap<>();
        broker.offsets().snapshot().offsetTable.forEach((key, queues) -> {
            String[] tg = split(key);
            if (tg == null || !tg[0].equals(topic) || filtered.contains(tg[1])) {
                return;
            }
            queues.forEach((q, off) -> {
                if (off >= broker.store().minOffset(topic, q)) {
                    min.merge(q, off, Math::min);
                }
            });
        });
        broker.offsets().queryAll(compareGroup, topic).forEach((q, off) -> {
            Long m = min.get(q);
            if (m != null && m > off) {
                min.put(q, Long.MAX_VALUE);
            }
        });
        QueryCorrectionOffsetBody body = new QueryCorrectionOffsetBody();
        body.correctionOffsets.putAll(min);
        return Replies.ok(request, body);
    }

    /** Copies {@code srcGroup}'s committed offsets (of {@code topic}, or of every topic it has) to {@code destGroup}. */
    private RemotingCommand cloneOffsets(RemotingCommand request) {
        String src = request.require("srcGroup");
        String dest = request.require("destGroup");
        String invalid = GroupValidator.check(src);
        if (invalid == null) {
            invalid = GroupValidator.check(dest);
        }
        if (invalid != null) {
            return Replies.error(request, ResponseCode.SYSTEM_ERROR, invalid);
        }
        String topic = request.get("topic");
        boolean offline = request.getBoolean("offline", false);
        Set<String> topics = Replies.isBlank(topic) ? topicsOf(src) : Set.of(topic);
        for (String t : topics) {
            if (broker.topics().get(t) == null || (!offline && !subscribedIfOnline(src, t))) {
                continue;
            }
            broker.offsets().queryAll(src, t).forEach((q, off) -> broker.commitOffset(dest, t, q, off));
        }
        return Replies.ok(request);
    }
}
