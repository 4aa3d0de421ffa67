package io.rocketcluster.admin;

/**
 * Why a command failed, with the process exit code: {@link #REFUSED} (1) when a server answered
 * with an error or the command's target does not exist, {@link #UNREACHABLE} (3) when no server
 * could be reached. Usage errors are picocli's (2).
 */
public class AdminException extends RuntimeException {
    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;

    private final int exitCode;
    private final int responseCode;

    public AdminException(int exitCode, String message) {
        this(exitCode, message, -1, null);
    }

    public AdminException(int exitCode, String message, int responseCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.responseCode = responseCode;
    }

    /** A server's error answer. */
    public static AdminException refused(String what, int responseCode, String remark) {
        return new AdminException(REFUSED, what + " failed: code " + responseCode
                + (remark == null || remark.isBlank() ? "" : ", " + remark), responseCode, null);
    }

    public int exitCode() {
        return exitCode;
    }

    /** The server's response code, or -1. */
    public int responseCode() {
        return responseCode;
    }
}
