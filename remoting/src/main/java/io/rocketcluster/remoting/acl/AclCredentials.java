package io.rocketcluster.remoting.acl;

import io.rocketcluster.remoting.netty.RequestSigner;
import io.rocketcluster.remoting.protocol.RemotingCommand;

/**
 * An ACL account's keys, signing requests as the official client's ACL hook does (docs/acl.md §1):
 * {@code AccessKey} is added, then {@code Signature} over every ext field and the body.
 */
public record AclCredentials(String accessKey, String secretKey) implements RequestSigner {
    public AclCredentials {
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("an access key and a secret key are both needed");
        }
    }

    @Override
    public void sign(RemotingCommand request) {
        request.put(AclSignature.ACCESS_KEY, accessKey);
        request.extFields().remove(AclSignature.SIGNATURE);
        request.put(AclSignature.SIGNATURE, AclSignature.sign(request.extFields(), request.body(), secretKey));
    }

    @Override
    public String toString() {
        return "AclCredentials[" + accessKey + "]";
    }
}
