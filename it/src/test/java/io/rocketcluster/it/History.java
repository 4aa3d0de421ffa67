package io.rocketcluster.it;

import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a fault-injection run's producers were told, and the checker of what is read back
 * (docs/replication.md §10). Each send is recorded with its outcome:
 * <ul>
 *   <li>ACKED: SEND_OK, the mode's promise (flush and replication) holds for it;</li>
 *   <li>STORED: an answer that the message is stored but short of the promise (FLUSH_DISK_TIMEOUT,
 *   FLUSH_SLAVE_TIMEOUT, SLAVE_NOT_AVAILABLE): it may be read, or lost with its broker;</li>
 *   <li>UNKNOWN: an exception (a timeout, a reset, a refusal): it may or may not have been stored.</li>
 * </ul>
 * The check: every ACKED key is read back, no key is read that was never sent, each body is the one
 * sent for its key; duplicates (client retries after a lost answer) are counted, not failed. Thread-safe.
 */
final class History {
    enum Outcome { ACKED, STORED, UNKNOWN }

    /** One send: its key, when it was answered (System.nanoTime), and the outcome. */
    record Send(String key, long answeredNanos, Outcome outcome, String detail) {
    }

    /** What a check found; {@link #problems()} is empty when the history holds. */
    record Report(String source, int read, int promised, Set<String> lost, Set<String> phantoms,
                  Set<String> corrupted, int duplicates, int storedRead, int unknownRead) {
        List<String> problems() {
            List<String> p = new ArrayList<>();
            if (!lost.isEmpty()) {
                p.add(lost.size() + " promised messages missing from " + source + ", e.g. " + sample(lost));
            }
            if (!phantoms.isEmpty()) {
                p.add(phantoms.size() + " messages in " + source + " that were never sent, e.g. " + sample(phantoms));
            }
            if (!corrupted.isEmpty()) {
                p.add(corrupted.size() + " messages in " + source + " whose body is not the one sent, e.g. "
                        + sample(corrupted));
            }
            return p;
        }

        @Override
        public String toString() {
            return source + ": " + read + " read, " + promised + " promised to be there, " + lost.size() + " lost, "
                    + phantoms.size() + " never sent, " + corrupted.size() + " corrupted, " + duplicates
                    + " duplicates; of the unacknowledged sends " + storedRead + " stored-but-unpromised and "
                    + unknownRead + " unknown were read";
        }

        private static String sample(Set<String> keys) {
            return keys.stream().limit(5).toList().toString();
        }
    }

    private final Map<String, Send> sends = new ConcurrentHashMap<>();

    /** The body a producer sends for {@code key}; {@link #check} compares what it reads against it. */
    static byte[] body(String key) {
        return ("body of " + key).getBytes(StandardCharsets.UTF_8);
    }

    /** Notes that a send of {@code key} is about to start (so a read of it is never a phantom). */
    void attempt(String key) {
        sends.put(key, new Send(key, Long.MAX_VALUE, Outcome.UNKNOWN, "no answer yet"));
    }

    void answered(String key, SendResult r) {
        Outcome o = r.getSendStatus() == SendStatus.SEND_OK ? Outcome.ACKED : Outcome.STORED;
        sends.put(key, new Send(key, System.nanoTime(), o, String.valueOf(r.getSendStatus())));
    }

    void failed(String key, Throwable t) {
        sends.put(key, new Send(key, System.nanoTime(), Outcome.UNKNOWN, String.valueOf(t)));
    }

    int size() {
        return sends.size();
    }

    /** Keys acknowledged (SEND_OK) at or before {@code nanos} (System.nanoTime). */
    Set<String> ackedBy(long nanos) {
        Set<String> keys = new TreeSet<>();
        for (Send s : sends.values()) {
            if (s.outcome() == Outcome.ACKED && s.answeredNanos() <= nanos) {
                keys.add(s.key());
            }
        }
        return keys;
    }

    Set<String> acked() {
        return ackedBy(Long.MAX_VALUE - 1);
    }

    Map<Outcome, Integer> counts() {
        Map<Outcome, Integer> c = new HashMap<>();
        sends.values().forEach(s -> c.merge(s.outcome(), 1, Integer::sum));
        return c;
    }

    /**
     * Checks what {@code source} holds: {@code read} maps each key read to the bodies read for it (one per
     * copy). {@code mustHold} are the keys the promise says are there.
     */
    Report check(String source, Map<String, List<byte[]>> read, Set<String> mustHold) {
        Set<String> lost = new TreeSet<>(mustHold);
        lost.removeAll(read.keySet());
        Set<String> phantoms = new TreeSet<>();
        Set<String> corrupted = new TreeSet<>();
        int duplicates = 0;
        int stored = 0;
        int unknown = 0;
        int copies = 0;
        for (Map.Entry<String, List<byte[]>> e : read.entrySet()) {
            copies += e.getValue().size();
            duplicates += e.getValue().size() - 1;
            Send s = sends.get(e.getKey());
            if (s == null) {
                phantoms.add(e.getKey());
                continue;
            }
            for (byte[] b : e.getValue()) {
                if (!java.util.Arrays.equals(b, body(e.getKey()))) {
                    corrupted.add(e.getKey());
                }
            }
            if (s.outcome() == Outcome.STORED) {
                stored++;
            } else if (s.outcome() == Outcome.UNKNOWN) {
                unknown++;
            }
        }
        return new Report(source, copies, mustHold.size(), lost, phantoms, corrupted, duplicates, stored, unknown);
    }

    /** Groups {@code (key, body)} pairs as {@link #check} takes them. */
    static Map<String, List<byte[]>> byKey(Collection<Map.Entry<String, byte[]>> messages) {
        Map<String, List<byte[]>> m = new HashMap<>();
        for (Map.Entry<String, byte[]> e : messages) {
            m.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        }
        return m;
    }
}
