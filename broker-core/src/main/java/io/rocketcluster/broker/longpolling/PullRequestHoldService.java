package io.rocketcluster.broker.longpolling;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.rocketcluster.broker.store.ArrivalListener;
import io.rocketcluster.broker.store.MessageFilter;
import io.rocketcluster.remoting.netty.QueuedRequest;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.ToLongBiFunction;

/**
 * Long polling (docs/remoting.md §10.6): pulls that found nothing wait here, keyed {@code topic@queueId}.
 * A held pull is re-executed (without suspension) when a matching message arrives, when the periodic
 * check sees the queue grew, or when its suspend time is over; the re-execution's response is written
 * to the consumer.
 *
 * <p>Bounded: at most {@link Limits#maxHeld} pulls in all and {@link Limits#maxHeldPerConnection} per
 * connection; {@link #hold} refuses the rest and the caller answers them SYSTEM_BUSY. Arrivals are only
 * noted on the dispatcher thread (constant time per message); a notifier thread coalesces them per queue
 * and walks that queue's held pulls, so a client holding thousands of pulls cannot slow dispatch.
 * Thread-safe.
 */
public final class PullRequestHoldService implements ArrivalListener, AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(PullRequestHoldService.class);
    private static final AttributeKey<AtomicInteger> HELD_ON_CHANNEL = AttributeKey.valueOf("rocketcluster.heldPulls");
    /** Distinct tags codes remembered per queue between two notifier passes; beyond this, wake every pull. */
    private static final int MAX_COALESCED_TAGS = 64;

    /** A parked pull. */
    public record HeldPull(RemotingCommand request, Channel channel, String topic, int queueId, long offset,
                           MessageFilter filter, long deadlineMillis) {
    }

    /** The bounds: {@code pullHoldMaxRequests} and {@code pullHoldMaxRequestsPerConnection}. */
    public record Limits(int maxHeld, int maxHeldPerConnection) {
    }

    /** What {@link #hold} did with a pull. */
    public enum Admission { HELD, BROKER_FULL, CONNECTION_FULL }

    /** Messages that arrived on one queue since the notifier last looked; tagsCodes null means "any". */
    private record Arrivals(long maxOffset, Set<Long> tagsCodes) {
        Arrivals merge(long offset, long tagsCode) {
            Set<Long> tags = tagsCodes;
            if (tags != null && !tags.contains(tagsCode)) {
                tags = tags.size() >= MAX_COALESCED_TAGS ? null : with(tags, tagsCode);
            }
            return new Arrivals(Math.max(maxOffset, offset), tags);
        }

        private static Set<Long> with(Set<Long> tags, long tagsCode) {
            Set<Long> s = new HashSet<>(tags);
            s.add(tagsCode);
            return s;
        }
    }

    private final Map<String, List<HeldPull>> held = new ConcurrentHashMap<>();
    private final AtomicInteger heldCount = new AtomicInteger();
    private final Map<String, Arrivals> arrivals = new ConcurrentHashMap<>();
    private final BlockingQueue<String> queuesWithArrivals = new LinkedBlockingQueue<>();
    private final BiFunction<Channel, RemotingCommand, RemotingCommand> reexecute;
    private final ToLongBiFunction<String, Integer> maxOffset;
    private final Executor executor;
    private final boolean wakeOnArrival;
    private final Limits limits;
    private final Thread notifier;
    private volatile boolean running = true;

    /**
     * @param reexecute     runs a pull again without suspension and returns its response
     * @param maxOffset     current max offset of a queue
     * @param executor      where re-executions run (the pull executor)
     * @param wakeOnArrival false on a slave, which only re-checks periodically
     */
    public PullRequestHoldService(BiFunction<Channel, RemotingCommand, RemotingCommand> reexecute,
                                  ToLongBiFunction<String, Integer> maxOffset, Executor executor,
                                  boolean wakeOnArrival, Limits limits) {
        this.reexecute = reexecute;
        this.maxOffset = maxOffset;
        this.executor = executor;
        this.wakeOnArrival = wakeOnArrival;
        this.limits = limits;
        this.notifier = new Thread(this::notifyLoop, "pull-hold-notifier");
        this.notifier.setDaemon(true);
        this.notifier.start();
    }

    /** Parks a pull unless a bound is reached; a refused pull is the caller's to answer. */
    public Admission hold(HeldPull pull) {
        Admission admission = admit(pull.channel());
        if (admission != Admission.HELD) {
            return admission;
        }
        held.compute(key(pull.topic(), pull.queueId()), (k, list) -> {
            List<HeldPull> l = list == null ? new ArrayList<>() : list;
            l.add(pull);
            return l;
        });
        // a message may have arrived between the read and the hold
        if (maxOffset.applyAsLong(pull.topic(), pull.queueId()) > pull.offset()) {
            release(pull.topic(), pull.queueId(), Long.MAX_VALUE, null, true);
        }
        return Admission.HELD;
    }

    private Admission admit(Channel channel) {
        AtomicInteger onChannel = channel.attr(HELD_ON_CHANNEL).setIfAbsent(new AtomicInteger());
        if (onChannel == null) {
            onChannel = channel.attr(HELD_ON_CHANNEL).get();
        }
        if (onChannel.incrementAndGet() > limits.maxHeldPerConnection()) {
            onChannel.decrementAndGet();
            return Admission.CONNECTION_FULL;
        }
        if (heldCount.incrementAndGet() > limits.maxHeld()) {
            heldCount.decrementAndGet();
            onChannel.decrementAndGet();
            return Admission.BROKER_FULL;
        }
        return Admission.HELD;
    }

    private void forget(HeldPull p) {
        heldCount.decrementAndGet();
        AtomicInteger onChannel = p.channel().attr(HELD_ON_CHANNEL).get();
        if (onChannel != null) {
            onChannel.decrementAndGet();
        }
    }

    /** Called on the dispatcher thread for every message: only notes the arrival. */
    @Override
    public void arrived(String topic, int queueId, long nextQueueOffset, long tagsCode) {
        if (!wakeOnArrival) {
            return;
        }
        String key = key(topic, queueId);
        if (!held.containsKey(key)) {
            return;
        }
        boolean[] first = {false};
        arrivals.compute(key, (k, a) -> {
            if (a == null) {
                first[0] = true;
                return new Arrivals(nextQueueOffset, Set.of(tagsCode));
            }
            return a.merge(nextQueueOffset, tagsCode);
        });
        if (first[0]) {
            queuesWithArrivals.add(key);
        }
    }

    private void notifyLoop() {
        while (running) {
            try {
                String key = queuesWithArrivals.poll(1, TimeUnit.SECONDS);
                if (key == null) {
                    continue;
                }
                Arrivals a = arrivals.remove(key);
                if (a != null) {
                    int at = key.lastIndexOf('@');
                    release(key.substring(0, at), Integer.parseInt(key.substring(at + 1)), a.maxOffset(),
                            a.tagsCodes(), false);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("waking held pulls failed", e);
            }
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

    /** Wakes the pulls of a queue that {@code maxOffset} is past and that match one of {@code tagsCodes} (null: any). */
    private void release(String topic, int queueId, long maxOffset, Set<Long> tagsCodes, boolean any) {
        List<HeldPull> ready = new ArrayList<>();
        take(key(topic, queueId), p -> any || (p.offset() < maxOffset
                && (tagsCodes == null || tagsCodes.stream().anyMatch(p.filter()::matchesTagsCode))), ready);
        ready.forEach(this::run);
    }

    private void expire(String key, long now) {
        List<HeldPull> ready = new ArrayList<>();
        take(key, p -> now >= p.deadlineMillis() || !p.channel().isActive(), ready);
        ready.forEach(this::run);
    }

    /** Removes the held pulls of a queue that {@code wake} selects into {@code out}. */
    private void take(String key, java.util.function.Predicate<HeldPull> wake, List<HeldPull> out) {
        held.computeIfPresent(key, (k, list) -> {
            list.removeIf(p -> {
                boolean w = wake.test(p);
                if (w) {
                    out.add(p);
                    forget(p);
                }
                return w;
            });
            return list.isEmpty() ? null : list;
        });
    }

    private void run(HeldPull p) {
        if (!p.channel().isActive()) {
            return;
        }
        QueuedRequest task = new QueuedRequest() {
            @Override
            public void run() {
                try {
                    RemotingCommand response = reexecute.apply(p.channel(), p.request());
                    if (response != null) {
                        p.channel().writeAndFlush(response);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("re-executing a held pull of {}@{} failed", p.topic(), p.queueId(), e);
                }
            }

            @Override
            public void reject(String remark) {
                p.channel().writeAndFlush(RemotingCommand.responseTo(p.request(), ResponseCode.SYSTEM_BUSY, remark));
            }
        };
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.reject("[OVERLOAD]system busy, start flow control for a while");
        }
    }

    private static String key(String topic, int queueId) {
        return topic + "@" + queueId;
    }

    public int heldCount() {
        return heldCount.get();
    }

    @Override
    public void close() {
        running = false;
        notifier.interrupt();
    }
}
