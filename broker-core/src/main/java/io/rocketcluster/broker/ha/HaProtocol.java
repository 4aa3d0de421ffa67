package io.rocketcluster.broker.ha;

/**
 * RocketMQ 4.x master/slave replication stream (docs/replication.md §2), raw TCP on the master's
 * {@code listenPort+1}, big-endian, no handshake.
 * <pre>
 * slave → master, every report 8 bytes:
 *   0   8   the slave's commitlog max offset (0 = empty: start at the master's newest file)
 *
 * master → slave, every frame 12 + n bytes:
 *   0   8   commitlog offset of the first data byte
 *   8   4   n, the number of data bytes (0 = heartbeat)
 *   12  n   commitlog bytes, verbatim, never spanning two commitlog files
 * </pre>
 */
final class HaProtocol {
    static final int REPORT_SIZE = 8;
    static final int FRAME_HEADER_SIZE = 12;

    private HaProtocol() {
    }
}
