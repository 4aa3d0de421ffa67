package io.rocketcluster.namesrv.processor;

import io.rocketcluster.remoting.netty.RequestProcessor;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.ResponseCode;

/** A processor of some name server request codes; the controller registers it for each of them. */
public interface NamesrvRequestProcessor extends RequestProcessor {
    /** The request codes this processor answers. */
    int[] codes();

    static RemotingCommand success(RemotingCommand request) {
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, null);
    }
}
