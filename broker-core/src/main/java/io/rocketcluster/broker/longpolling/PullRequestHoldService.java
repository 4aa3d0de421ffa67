package io.rocketcluster.broker.longpolling;

import io.netty.channel.Channel;
import io.rocketcluster.broker.store.ArrivalListener;
import io.rocketcluster.broker.store.MessageFilter;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.ToLongBiFunction;

/**
 * Long polling (docs/remoting.md §10.6): pulls that found nothing wait here, keyed {@code topic@queueId}.
 * A held pull is re-executed (without suspension) when a matching message arrives, when the periodic
 * check sees the queue grew, or when its suspend time is over; the re-execution's response is written
 * to the consumer. Thread-safe.
 */
public final class PullRequestHoldService implements ArrivalListener {
    private static final Logger LOG = LogManager.getLogger(PullRequestHoldService.class);

    /** A parked pull. */
    public record HeldPull(RemotingCommand request, Channel channel, String topic, int queueId, long offset,
                           MessageFilter filter, long deadlineMillis) {
    }

    private final Map<String, List<HeldPull>> held = new ConcurrentHashMap<>();
    private final BiFunction<Channel, RemotingCommand, RemotingCommand> reexecute;
    private final ToLongBiFunction<String, Integer> maxOffset;
    private final Executor executor;
    private final boolean wakeOnArrival;

    /**
     * @param reexecute     runs a pull again without suspension and returns its response
     * @param maxOffset     current max offset of a queue
     * @param executor      where re-executions run (the pull executor)
     * @param wakeOnArrival false on a slave, which only re-checks periodically
     */
    public PullRequestHoldService(BiFunction<Channel, RemotingCommand, RemotingCommand> reexecute,
                                  ToLongBiFunction<String, Integer> maxOffset, Executor executor,
                                  boolean wakeOnArrival) {
        this.reexecute = reexecute;
        this.maxOffset = maxOffset;
        this.executor = executor;
        this.wakeOnArrival = wakeOnArrival;
    }

    public void hold(HeldPull pull) {
        held.compute(pull.topic() + "@" + pull.queueId(), (k, list) -> {
            List<HeldPull> l = list == null ? new ArrayList<>() : list;
            l.add(pull);
            return l;
        });
        // a message may have arrived between the read and the hold
        if (maxOffset.applyAsLong(pull.topic(), pull.queueId()) > pull.offset()) {
            release(pull.topic(), pull.queueId(), Long.MAX_VALUE, null, true);
        }
    }

    @Override
    public void arrived(String topic, int queueId, long nextQueueOffset, long tagsCode) {
        if (wakeOnArrival) {
            release(topic, queueId, nextQueueOffset, tagsCode, false);
        }
    }

    /** Periodic check: wakes pulls whose queue grew and those past their deadline. */
    public void check() {
        long now = System.currentTimeMillis();
        for (String key : held.keySet()) {
            int at = key.lastIndexOf('@');
            String topic = key.substring(0, at);
            int queueId = Integer.parseInt(key.substring(at + 1));
            long max = maxOffset.applyAsLong(topic, queueId);
            release(topic, queueId, max, null, false);
            expire(key, now);
        }
    }

    private void release(String topic, int queueId, long maxOffset, Long tagsCode, boolean any) {
        String key = topic + "@" + queueId;
        List<HeldPull> ready = new ArrayList<>();
        held.computeIfPresent(key, (k, list) -> {
            list.removeIf(p -> {
                boolean wake = any || (p.offset() < maxOffset
                        && (tagsCode == null || p.filter().matchesTagsCode(tagsCode)));
                if (wake) {
                    ready.add(p);
                }
                return wake;
            });
            return list.isEmpty() ? null : list;
        });
        ready.forEach(this::run);
    }

    private void expire(String key, long now) {
        List<HeldPull> ready = new ArrayList<>();
        held.computeIfPresent(key, (k, list) -> {
            list.removeIf(p -> {
                boolean expired = now >= p.deadlineMillis() || !p.channel().isActive();
                if (expired) {
                    ready.add(p);
                }
                return expired;
            });
            return list.isEmpty() ? null : list;
        });
        ready.forEach(this::run);
    }

    private void run(HeldPull p) {
        if (!p.channel().isActive()) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    RemotingCommand response = reexecute.apply(p.channel(), p.request());
                    if (response != null) {
                        p.channel().writeAndFlush(response);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("re-executing a held pull of {}@{} failed", p.topic(), p.queueId(), e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.warn("pull executor is full; held pull of {}@{} dropped", p.topic(), p.queueId());
        }
    }

    public int heldCount() {
        return held.values().stream().mapToInt(List::size).sum();
    }
}
