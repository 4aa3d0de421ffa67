package io.rocketcluster.remoting.netty;

/** A call that could not be completed: connect, send or timeout failure. */
public class RemotingException extends Exception {
    public RemotingException(String message) {
        super(message);
    }

    public RemotingException(String message, Throwable cause) {
        super(message, cause);
    }
}
