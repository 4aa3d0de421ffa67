package io.rocketcluster.remoting.netty;

/**
 * What a server hands its processors' executors: runs the request, or, when it waited too long in the
 * queue, refuses it with SYSTEM_BUSY instead (the broker's fast failure). Exactly one of the two must
 * be called, once.
 */
public interface QueuedRequest extends Runnable {
    /** Answers SYSTEM_BUSY with this remark and drops the request. */
    void reject(String remark);
}
