package io.rocketcluster.remoting.netty;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.rocketcluster.remoting.protocol.RemotingCommand;

import java.util.ArrayDeque;
import java.util.function.BiConsumer;

/**
 * Back-pressure for the requests of one connection. A request starts only while the connection is
 * writable (its unwritten responses are below the write-buffer high water mark) and has fewer than
 * {@code maxInFlight} requests being processed; otherwise it waits here, and the connection is not
 * read again until there is room. So a client that sends without reading its responses costs the
 * server at most the high water mark plus {@code maxInFlight} responses, not one response per request
 * it managed to send. Requests that a processor parks (a held pull answers later on its own) stop
 * counting when the processor returns.
 *
 * <p>State is per channel and touched only on the channel's event loop.
 */
final class RequestFlowControl {
    private static final AttributeKey<State> STATE = AttributeKey.valueOf("rocketcluster.requestFlowControl");

    private final int maxInFlight;
    private final BiConsumer<Channel, RemotingCommand> start;

    private static final class State {
        int inFlight;
        final ArrayDeque<RemotingCommand> waiting = new ArrayDeque<>();
    }

    /** {@code start} runs a request and must lead to exactly one {@link #finished} call. */
    RequestFlowControl(int maxInFlight, BiConsumer<Channel, RemotingCommand> start) {
        this.maxInFlight = maxInFlight <= 0 ? Integer.MAX_VALUE : maxInFlight;
        this.start = start;
    }

    /** A decoded request (event loop). */
    void arrived(Channel ch, RemotingCommand request) {
        State st = state(ch);
        if (st.waiting.isEmpty() && hasRoom(ch, st)) {
            begin(ch, st, request);
        } else {
            st.waiting.add(request);
            ch.config().setAutoRead(false);
        }
    }

    /** A started request was answered, parked or dropped (any thread). */
    void finished(Channel ch) {
        if (ch.eventLoop().inEventLoop()) {
            finishedOnLoop(ch);
        } else {
            ch.eventLoop().execute(() -> finishedOnLoop(ch));
        }
    }

    /**
     * A started request found the connection unwritable when its turn came (any thread): it goes back to
     * the head of the line, unprocessed, and starts again once the responses drain below the low mark.
     */
    void requeue(Channel ch, RemotingCommand request) {
        ch.eventLoop().execute(() -> {
            State st = state(ch);
            st.inFlight--;
            st.waiting.addFirst(request);
            drain(ch, st);
        });
    }

    /** The connection became writable or unwritable (event loop). */
    void writabilityChanged(Channel ch) {
        drain(ch, state(ch));
    }

    private void finishedOnLoop(Channel ch) {
        State st = state(ch);
        st.inFlight--;
        drain(ch, st);
    }

    private void drain(Channel ch, State st) {
        while (!st.waiting.isEmpty() && hasRoom(ch, st)) {
            begin(ch, st, st.waiting.poll());
        }
        ch.config().setAutoRead(st.waiting.isEmpty() && ch.isWritable());
    }

    private void begin(Channel ch, State st, RemotingCommand request) {
        st.inFlight++;
        start.accept(ch, request);
    }

    private boolean hasRoom(Channel ch, State st) {
        return ch.isWritable() && st.inFlight < maxInFlight;
    }

    private static State state(Channel ch) {
        State st = ch.attr(STATE).get();
        if (st == null) {
            st = new State();
            ch.attr(STATE).set(st);
        }
        return st;
    }
}
