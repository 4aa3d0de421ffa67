package io.rocketcluster.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.rocketcluster.remoting.acl.AclRules;
import io.rocketcluster.broker.acl.PlainAccessValidator;
import io.rocketcluster.namesrv.auth.RegistrationGuard;
import io.rocketcluster.remoting.acl.PlainAclConfig;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RemotingFrame;
import io.rocketcluster.remoting.protocol.RemotingProtocolException;

import java.io.IOException;
import java.io.UncheckedIOException;

import static io.rocketcluster.fuzz.Checks.check;

/**
 * The ACL check (docs/acl.md §2) on whatever a client can send: the input is a frame (without its length
 * prefix), decoded as the server decodes it, then checked by {@link PlainAccessValidator#refusal}. Nothing
 * throws (a body the check must read, such as a heartbeat's, that does not parse is a refusal), and nothing
 * random is let through: no input knows a secret, and no address is white-listed. The nameserver's
 * registration check (docs/acl.md §7.1) sees the same requests: it refuses every guarded write and only those.
 */
class AclFuzzTest {
    private static final PlainAccessValidator VALIDATOR;
    private static final RegistrationGuard REGISTRATION;

    static {
        try {
            AclRules rules = AclRules.compile(PlainAclConfig.parse("""
                    accounts:
                      - accessKey: producerKey
                        secretKey: producerSecret
                        defaultTopicPerm: PUB
                      - accessKey: adminKey1
                        secretKey: adminSecret
                        admin: true
                    """));
            VALIDATOR = new PlainAccessValidator(() -> rules);
            REGISTRATION = new RegistrationGuard(() -> rules);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void validateRequest(byte[] input) {
        RemotingCommand request;
        try {
            request = RemotingFrame.decode(Unpooled.wrappedBuffer(input));
        } catch (RemotingProtocolException e) {
            return;
        }
        String refusal = VALIDATOR.refusal("192.0.2.1", request);
        check(refusal != null, "an unsigned random request was let through: code %d, fields %s", request.code(),
                request.extFields());
        check(refusal.startsWith("org.apache.rocketmq.acl.common.AclException: "), "refusal not in RocketMQ's form: %s",
                refusal);
        // the nameserver's registrationAuthEnable check: every write refused, every read let through
        String registration = REGISTRATION.refusal("192.0.2.1", request);
        check((registration != null) == RegistrationGuard.GUARDED_CODES.contains(request.code()),
                "nameserver check of code %d answered %s", request.code(), registration);
    }
}
