package io.rocketcluster.broker.store;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** How full the filesystem holding a path is, 0..1. Injectable so tests need not fill a disk. */
@FunctionalInterface
public interface DiskUsage {
    double usedRatio(Path path);

    /**
     * The real filesystem; -1 when it cannot be read. The FileStore is looked up once per path (that
     * reads the mount table); each measurement after that is one statvfs call.
     */
    static DiskUsage fileSystem() {
        Map<Path, FileStore> stores = new ConcurrentHashMap<>();
        return path -> {
            try {
                FileStore fs = stores.get(path);
                if (fs == null) {
                    fs = Files.getFileStore(path);
                    stores.put(path, fs);
                }
                long total = fs.getTotalSpace();
                return total <= 0 ? -1 : (double) (total - fs.getUsableSpace()) / total;
            } catch (IOException e) {
                stores.remove(path);
                return -1;
            }
        };
    }
}
