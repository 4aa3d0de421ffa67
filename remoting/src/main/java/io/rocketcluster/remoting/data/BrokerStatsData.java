package io.rocketcluster.remoting.data;

/** VIEW_BROKER_STATS_DATA response body: the last minute, hour and day of one statistic. */
public class BrokerStatsData {
    public BrokerStatsItem statsMinute = new BrokerStatsItem();
    public BrokerStatsItem statsHour = new BrokerStatsItem();
    public BrokerStatsItem statsDay = new BrokerStatsItem();
}
