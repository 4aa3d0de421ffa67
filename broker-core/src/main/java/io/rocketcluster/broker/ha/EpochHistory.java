package io.rocketcluster.broker.ha;

import io.rocketcluster.remoting.config.ConfigFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * This broker's epoch history (docs/replication.md §9), kept in {@code <storePathRootDir>/epochs}: one line
 * {@code epoch:startOffset:id} per epoch, oldest first. Every change is written to disk (forced, then
 * renamed, then the directory forced) before the broker acts on it: a master begins an epoch before it
 * accepts a write; a slave records the master's epoch before it appends the epoch's first byte, and cuts
 * epochs off before it truncates. Thread-safe.
 */
public final class EpochHistory {
    private static final String HEADER = "# RocketCluster epoch history: epoch:startOffset:id[:r = replica-acked], oldest first\n";

    private final ConfigFile file;
    private final LongSupplier random;
    private List<Epoch> epochs;

    private EpochHistory(ConfigFile file, LongSupplier random, List<Epoch> epochs) {
        this.file = file;
        this.random = random;
        this.epochs = epochs;
    }

    /**
     * The history in {@code file} (empty when there is none yet), forgetting epochs that begin after
     * {@code logEnd} (written just before a crash that also lost their data).
     *
     * @throws IOException when the file exists but neither it nor its backup can be read
     */
    public static EpochHistory load(Path file, long logEnd, LongSupplier random) throws IOException {
        ConfigFile f = new ConfigFile(file);
        List<Epoch> loaded = f.load(EpochHistory::parse).orElseGet(ArrayList::new);
        EpochHistory h = new EpochHistory(f, random, loaded);
        if (!loaded.isEmpty() && loaded.get(loaded.size() - 1).startOffset() > logEnd) {
            h.truncateFrom(logEnd + 1);
        }
        return h;
    }

    private static List<Epoch> parse(String text) {
        StringBuilder joined = new StringBuilder();
        for (String line : text.split("\n")) {
            String l = line.trim();
            if (!l.isEmpty() && !l.startsWith("#")) {
                joined.append(joined.isEmpty() ? "" : ",").append(l);
            }
        }
        return Epoch.decode(joined.toString());
    }

    public synchronized List<Epoch> epochs() {
        return List.copyOf(epochs);
    }

    /** The newest epoch, or null when there is none. */
    public synchronized Epoch last() {
        return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
    }

    /**
     * A master starts: a new epoch from {@code logEnd}, numbered one above the last, with a fresh id;
     * {@code replicaAcked} when it runs as SYNC_MASTER with ASYNC_FLUSH.
     */
    public synchronized Epoch begin(long logEnd, boolean replicaAcked) {
        Epoch last = last();
        long id;
        do {
            id = random.getAsLong();
        } while (id == 0);
        Epoch e = new Epoch(last == null ? 1 : last.epoch() + 1, logEnd, id, replicaAcked);
        List<Epoch> next = new ArrayList<>(epochs);
        next.add(e);
        store(next);
        return e;
    }

    /**
     * A slave about to hold the master's log up to {@code end}: takes every epoch of {@code master} that
     * starts below {@code end} and that it lacks. Returns whether anything changed (and was written).
     */
    public synchronized boolean adopt(List<Epoch> master, long end) {
        List<Epoch> next = new ArrayList<>(epochs);
        Epoch last = last();
        for (Epoch m : master) {
            if (m.startOffset() < end && (last == null || m.epoch() > last.epoch())) {
                next.add(m);
                last = m;
            }
        }
        if (next.size() == epochs.size()) {
            return false;
        }
        store(next);
        return true;
    }

    /** Forgets the epochs that start at or after {@code offset} (the log is being cut there). */
    public synchronized void truncateFrom(long offset) {
        List<Epoch> next = new ArrayList<>(epochs);
        next.removeIf(e -> e.startOffset() >= offset);
        if (next.size() != epochs.size()) {
            store(next);
        }
    }

    /** Replaces the whole history (a slave told to take its master's as it is). */
    public synchronized void replace(List<Epoch> history) {
        store(new ArrayList<>(history));
    }

    private void store(List<Epoch> next) {
        while (next.size() > Epoch.MAX_KEPT) {
            next.remove(0);
        }
        StringBuilder text = new StringBuilder(HEADER);
        for (Epoch e : next) {
            text.append(Epoch.encode(List.of(e), true)).append('\n');
        }
        try {
            file.store(text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the epoch history " + file.path(), e);
        }
        epochs = next;
    }
}
