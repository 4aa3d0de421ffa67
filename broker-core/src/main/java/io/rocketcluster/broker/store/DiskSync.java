package io.rocketcluster.broker.store;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * How the store forces mapped bytes to stable storage. Every force of the commitlog, the consume
 * queues, the index and the checkpoint goes through one instance, so that a test can inject I/O
 * errors or record exactly which bytes reached the disk (a power-loss model). An implementation
 * throws {@link java.io.UncheckedIOException} (or any other exception) when the force failed; the
 * store then refuses writes until it is restarted (docs/store-layout.md §7).
 */
@FunctionalInterface
public interface DiskSync {
    /** The real thing: msync of the range. */
    DiskSync SYSTEM = (file, buffer, offset, length) -> buffer.force(offset, length);

    /** Forces {@code [offset, offset+length)} of {@code buffer}, the mapping of {@code file}. */
    void force(Path file, MappedByteBuffer buffer, int offset, int length);
}
