package io.rocketcluster.it;

/**
 * Entry point of the mqadmin JVM that {@link MqAdmin} starts: runs rocketmq-tools'
 * {@code MQAdminStartup.main} unchanged and exits as soon as it returns. Without this, every command
 * lingers about three seconds after printing while its client's Netty event loops wind down (their
 * non-daemon threads keep the JVM up). Found by name, so this class needs nothing but the JDK and the
 * tools' jars at run time.
 */
public final class MqAdminMain {
    static final String MQADMIN_STARTUP = "org.apache.rocketmq.tools.command.MQAdminStartup";

    private MqAdminMain() {
    }

    public static void main(String[] args) throws Exception {
        Class.forName(MQADMIN_STARTUP).getMethod("main", String[].class).invoke(null, (Object) args);
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(0);
    }
}
