package io.rocketcluster.broker.store;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** How full the filesystem holding a path is, 0..1. Injectable so tests need not fill a disk. */
@FunctionalInterface
public interface DiskUsage {
    double usedRatio(Path path);

    /** The real filesystem; -1 when it cannot be read. */
    static DiskUsage fileSystem() {
        return path -> {
            try {
                FileStore fs = Files.getFileStore(path);
                long total = fs.getTotalSpace();
                return total <= 0 ? -1 : (double) (total - fs.getUsableSpace()) / total;
            } catch (IOException e) {
                return -1;
            }
        };
    }
}
