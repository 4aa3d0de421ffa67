package io.rocketcluster.broker;

import java.net.ServerSocket;

/** Ports for in-process brokers in tests: p free, and p-2 (fast channel) and p+1 (HA) free too. */
public final class TestPorts {
    private TestPorts() {
    }

    public static int freeBrokerPort() {
        for (int i = 0; i < 100; i++) {
            int p;
            try (ServerSocket s = new ServerSocket(0)) {
                p = s.getLocalPort();
            } catch (Exception e) {
                continue;
            }
            if (p > 10 && p < 65000 && free(p - 2) && free(p + 1)) {
                return p;
            }
        }
        throw new IllegalStateException("no free port triple");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
