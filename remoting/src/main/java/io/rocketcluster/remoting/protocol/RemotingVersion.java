package io.rocketcluster.remoting.protocol;

/** Version ordinals of RocketMQ's {@code MQVersion.Version} enum that matter on the wire. */
public final class RemotingVersion {
    /** Below this a client refuses SQL92 pulls; above it send-back honours maxReconsumeTimes. */
    public static final int V3_4_9 = 121;
    public static final int V4_7_1 = 355;
    public static final int V4_9_7 = 407;
    /** What our servers announce: the 4.x version we are compatible with. */
    public static final int CURRENT = V4_9_7;
    public static final String CURRENT_DESC = "V4_9_7";

    private RemotingVersion() {
    }
}
