package io.rocketcluster.remoting.data;

/** One window of a broker statistic: total in the window, per second, and per call ("average per time"). */
public class BrokerStatsItem {
    public long sum;
    public double tps;
    public double avgpt;

    public BrokerStatsItem() {
    }

    public BrokerStatsItem(long sum, double tps, double avgpt) {
        this.sum = sum;
        this.tps = tps;
        this.avgpt = avgpt;
    }
}
