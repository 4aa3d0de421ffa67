package io.rocketcluster.remoting.protocol;

/** A frame or header that does not follow the RocketMQ remoting protocol. */
public class RemotingProtocolException extends RuntimeException {
    public RemotingProtocolException(String message) {
        super(message);
    }

    public RemotingProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
