package io.rocketcluster.broker.ha;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One epoch of a broker group's commitlog history (docs/replication.md §9): the span of the log written by
 * one run of one master, from {@code startOffset} until the next epoch's start. {@code id} is random, drawn
 * when the epoch began, so two histories that merely count alike (an empty master's epoch 1 and the
 * slave's) are told apart. {@code replicaAcked}: the master of this epoch answered sends once a slave held
 * them, before its own disk did (SYNC_MASTER with ASYNC_FLUSH), so a slave's copy of it may be the only
 * durable one of acknowledged messages. Immutable.
 */
public record Epoch(int epoch, long startOffset, long id, boolean replicaAcked) {
    /** At most this many epochs are kept and exchanged; older ones are forgotten. */
    public static final int MAX_KEPT = 256;

    public Epoch {
        if (epoch <= 0 || startOffset < 0) {
            throw new IllegalArgumentException("epoch " + epoch + " at offset " + startOffset);
        }
    }

    public Epoch(int epoch, long startOffset, long id) {
        this(epoch, startOffset, id, false);
    }

    /** Whether {@code other} is the same epoch: number and start, and the id too when both carry one. */
    boolean sameAs(Epoch other, boolean compareIds) {
        return epoch == other.epoch && startOffset == other.startOffset && (!compareIds || id == other.id);
    }

    /** This epoch as it goes to a master in a HELLO: no id. */
    Epoch withoutId() {
        return new Epoch(epoch, startOffset, 0, replicaAcked);
    }

    /**
     * The wire and file form of a history: {@code epoch:start[:id-hex][:r]} joined by commas, ids only when
     * {@code withIds} (else the field is empty when {@code :r} follows), {@code :r} for a replica-acked epoch.
     */
    static String encode(List<Epoch> history, boolean withIds) {
        StringBuilder b = new StringBuilder();
        for (Epoch e : history) {
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append(e.epoch).append(':').append(e.startOffset);
            if (withIds || e.replicaAcked) {
                b.append(':').append(withIds ? HexFormat.of().toHexDigits(e.id) : "");
            }
            if (e.replicaAcked) {
                b.append(":r");
            }
        }
        return b.toString();
    }

    /**
     * Parses {@link #encode}'s form (ids are 0 where absent), checking what a history must be: at most
     * {@link #MAX_KEPT} epochs, numbers strictly rising, starts not falling.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static List<Epoch> decode(String text) {
        List<Epoch> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        String[] items = text.split(",", -1);
        if (items.length > MAX_KEPT) {
            throw new IllegalArgumentException("history of " + items.length + " epochs (at most " + MAX_KEPT + ")");
        }
        for (String item : items) {
            String[] f = item.split(":", -1);
            if (f.length < 2 || f.length > 4 || (f.length == 4 && !f[3].equals("r"))) {
                throw new IllegalArgumentException("bad epoch '" + item + "'");
            }
            Epoch e;
            try {
                long id = f.length >= 3 && !(f.length == 4 && f[2].isEmpty())
                        ? HexFormat.fromHexDigitsToLong(checkedHex(f[2])) : 0;
                e = new Epoch(Integer.parseInt(f[0]), Long.parseLong(f[1]), id, f.length == 4);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("bad epoch '" + item + "'");
            }
            if (!out.isEmpty()) {
                Epoch last = out.get(out.size() - 1);
                if (e.epoch <= last.epoch || e.startOffset < last.startOffset) {
                    throw new IllegalArgumentException("epoch " + e + " does not follow " + last);
                }
            }
            out.add(e);
        }
        return out;
    }

    private static String checkedHex(String s) {
        if (s.isEmpty() || s.length() > 16) {
            throw new NumberFormatException(s);
        }
        return s;
    }
}
