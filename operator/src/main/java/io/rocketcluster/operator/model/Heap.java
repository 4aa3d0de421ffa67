package io.rocketcluster.operator.model;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.math.BigDecimal;

/**
 * JVM memory flags from a container's memory limit. The broker keeps its commitlog in the page cache
 * (mapped files), which the limit also counts, so the heap takes half of the limit and direct memory
 * (Netty buffers) a quarter; the nameserver holds only routes and takes half.
 */
public final class Heap {
    private static final long MIB = 1024 * 1024;

    private Heap() {
    }

    /** JAVA_TOOL_OPTIONS for a container with {@code resources}; {@code directShare} 0 = no direct-memory cap. */
    public static String javaToolOptions(ResourceRequirements resources, double heapShare, double directShare) {
        long limit = memoryLimitBytes(resources);
        long heapMib = Math.max(64, (long) (limit * heapShare) / MIB);
        StringBuilder sb = new StringBuilder("-Xms").append(heapMib).append("m -Xmx").append(heapMib).append('m');
        if (directShare > 0) {
            sb.append(" -XX:MaxDirectMemorySize=").append(Math.max(64, (long) (limit * directShare) / MIB)).append('m');
        }
        return sb.toString();
    }

    static long memoryLimitBytes(ResourceRequirements resources) {
        Quantity q = resources.getLimits() == null ? null : resources.getLimits().get("memory");
        if (q == null && resources.getRequests() != null) {
            q = resources.getRequests().get("memory");
        }
        if (q == null) {
            throw new IllegalArgumentException("no memory limit");
        }
        BigDecimal bytes = Quantity.getAmountInBytes(q);
        return bytes.longValue();
    }
}
