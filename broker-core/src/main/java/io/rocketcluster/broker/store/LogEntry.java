package io.rocketcluster.broker.store;

/**
 * What the commitlog holds at one offset, as the dispatcher and recovery see it:
 * <ul>
 *   <li>{@link Kind#RECORD}: a whole, valid record ({@link #record()});</li>
 *   <li>{@link Kind#FILE_END}: the blank marker (or no room for one): the log goes on in the next file;</li>
 *   <li>{@link Kind#END}: zero bytes, nothing was ever written here;</li>
 *   <li>{@link Kind#INCOMPLETE}: a record whose bytes are not all there (yet): a slave between two
 *       replication frames, or a torn write;</li>
 *   <li>{@link Kind#CORRUPT}: bytes that cannot be a record ({@link #problem()} says why).</li>
 * </ul>
 */
public record LogEntry(Kind kind, StoredRecord record, String problem) {
    public enum Kind { RECORD, FILE_END, END, INCOMPLETE, CORRUPT }

    static final LogEntry FILE_END = new LogEntry(Kind.FILE_END, null, null);
    static final LogEntry END = new LogEntry(Kind.END, null, null);
    static final LogEntry INCOMPLETE = new LogEntry(Kind.INCOMPLETE, null, null);

    static LogEntry of(StoredRecord r) {
        return new LogEntry(Kind.RECORD, r, null);
    }

    static LogEntry corrupt(String problem) {
        return new LogEntry(Kind.CORRUPT, null, problem);
    }

    public boolean is(Kind k) {
        return kind == k;
    }
}
