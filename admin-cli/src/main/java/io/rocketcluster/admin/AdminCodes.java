package io.rocketcluster.admin;

/** Request codes mqadmin sends that the shared {@code RequestCode} table may not list (docs/remoting.md §3.2). */
final class AdminCodes {
    static final int INVOKE_BROKER_TO_RESET_OFFSET = 222;
    static final int QUERY_TOPIC_CONSUME_BY_WHO = 300;
    static final int GET_CONSUMER_RUNNING_INFO = 307;
    static final int VIEW_BROKER_STATS_DATA = 315;

    private AdminCodes() {
    }
}
