package io.rocketcluster.broker.processor;

import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.remoting.netty.NettyRemotingClient;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import io.rocketcluster.remoting.protocol.SerializeType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed frames close the offending connection, bad requests get a clear error response, and the
 * broker keeps serving everyone else (a client connected before the garbage included).
 */
class BadInputTest {
    @TempDir
    static Path dir;
    static BrokerController broker;
    static NettyRemotingClient healthy;
    static String addr;

    @BeforeAll
    static void start() throws Exception {
        int port = io.rocketcluster.broker.TestPorts.freeBrokerPort();
        broker = io.rocketcluster.broker.TestBrokers.start(dir, port, "bad-input",
                Map.of("maxMessageSize", String.valueOf(1024 * 1024)));
        addr = "127.0.0.1:" + port;
        healthy = new NettyRemotingClient("healthy");
        assertThat(maxOffset(healthy).code()).isEqualTo(ResponseCode.SUCCESS);
    }

    @AfterAll
    static void stop() {
        healthy.close();
        broker.shutdown();
    }

    private static RemotingCommand maxOffset(NettyRemotingClient client) throws Exception {
        return client.invokeSync(addr, RemotingCommand.request(RequestCode.GET_MAX_OFFSET)
                .put("topic", "SELF_TEST_TOPIC").put("queueId", 0), 3000);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "474554202f20485454502f312e310d0a0d0a",          // garbage: an HTTP request
            "ffffff9c0000000a",                              // negative frame length
            "7ffffff000000000",                              // length beyond the 16 MiB frame limit
            "0000000e0000000a7b6e6f74206a736f6e21",          // unparsable JSON header
            "0000000400000064",                              // header length beyond the frame
            "0000000405000000"})                             // unknown serialize type
    void malformedFramesCloseTheConnectionAndOthersAreStillServed(String hex) throws Exception {
        try (Socket s = new Socket("127.0.0.1", Integer.parseInt(addr.substring(addr.indexOf(':') + 1)))) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(HexFormat.of().parseHex(hex));
            out.flush();
            InputStream in = s.getInputStream();
            int read;
            try {
                read = in.read();
            } catch (SocketTimeoutException e) {
                read = -2;
            } catch (java.net.SocketException e) {
                read = -1; // reset by peer: closed as well
            }
            assertThat(read).as("the broker closes the connection").isEqualTo(-1);
        }
        assertThat(maxOffset(healthy).code()).isEqualTo(ResponseCode.SUCCESS);
        try (NettyRemotingClient fresh = new NettyRemotingClient("fresh")) {
            assertThat(maxOffset(fresh).code()).isEqualTo(ResponseCode.SUCCESS);
        }
    }

    @ParameterizedTest
    @EnumSource(SerializeType.class)
    void anUnknownRequestCodeIsAnsweredInKind(SerializeType type) throws Exception {
        RemotingCommand r = healthy.invokeSync(addr, RemotingCommand.request(9999).serializeType(type), 3000);
        assertThat(r.code()).isEqualTo(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
        assertThat(r.remark()).isEqualTo(" request type 9999 not supported");
        assertThat(r.serializeType()).isEqualTo(type);
    }

    @ParameterizedTest
    @EnumSource(SerializeType.class)
    void aSendToAnIllegalTopicIsRefused(SerializeType type) throws Exception {
        RemotingCommand r = healthy.invokeSync(addr, send("bad topic!").serializeType(type), 3000);
        assertThat(r.code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        assertThat(r.remark()).contains("illegal characters");
        assertThat(r.extFields()).containsKey("MSG_REGION");
        RemotingCommand tooLong = healthy.invokeSync(addr, send("t".repeat(128)), 3000);
        assertThat(tooLong.code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        assertThat(tooLong.remark()).contains("max length");
        RemotingCommand forbidden = healthy.invokeSync(addr, send("SCHEDULE_TOPIC_XXXX"), 3000);
        assertThat(forbidden.code()).isEqualTo(ResponseCode.NO_PERMISSION);
    }

    @ParameterizedTest
    @EnumSource(SerializeType.class)
    void aMissingMandatoryFieldGetsAnErrorNamingIt(SerializeType type) throws Exception {
        RemotingCommand req = send("GoodTopic").serializeType(type);
        req.extFields().remove("e");
        RemotingCommand r = healthy.invokeSync(addr, req, 3000);
        assertThat(r.code()).isEqualTo(ResponseCode.SYSTEM_ERROR);
        assertThat(r.remark()).contains("<e>");
    }

    @ParameterizedTest
    @EnumSource(SerializeType.class)
    void anOversizedBodyIsRefusedAndNothingIsStored(SerializeType type) throws Exception {
        long before = broker.store().commitLogMaxOffset();
        RemotingCommand r = healthy.invokeSync(addr, send("BigTopic").body(new byte[1024 * 1024 + 1])
                .serializeType(type), 5000);
        assertThat(r.code()).isEqualTo(ResponseCode.MESSAGE_ILLEGAL);
        assertThat(r.remark()).contains("maxMessageSize");
        assertThat(broker.store().commitLogMaxOffset()).isEqualTo(before);
        RemotingCommand ok = healthy.invokeSync(addr, send("BigTopic").body("fine".getBytes(StandardCharsets.UTF_8)), 5000);
        assertThat(ok.code()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(ok.get("msgId")).hasSize(32);
    }

    /**
     * Megabytes of separators in the properties: refused before anything parses them (the old parser
     * was quadratic, seconds per 2 MiB on a send thread), and the next send is served at once.
     */
    @ParameterizedTest
    @EnumSource(SerializeType.class)
    void hugePropertiesAreRefusedBeforeTheyAreParsed(SerializeType type) throws Exception {
        long before = broker.store().commitLogMaxOffset();
        String separators = "\u0002".repeat(2 * 1024 * 1024);
        RemotingCommand r = healthy.invokeSync(addr, send("PropsTopic").put("i", separators).serializeType(type), 10_000);
        assertThat(r.code()).isEqualTo(ResponseCode.MESSAGE_ILLEGAL);
        assertThat(r.remark()).contains("properties").contains(String.valueOf(Short.MAX_VALUE));
        assertThat(broker.store().commitLogMaxOffset()).isEqualTo(before);
        assertThat(healthy.invokeSync(addr, send("PropsTopic"), 5000).code()).isEqualTo(ResponseCode.SUCCESS);
    }

    private static RemotingCommand send(String topic) {
        return RemotingCommand.request(RequestCode.SEND_MESSAGE_V2)
                .put("a", "pg").put("b", topic).put("c", "TBW102").put("d", 4).put("e", 0).put("f", 0)
                .put("g", System.currentTimeMillis()).put("h", 0).put("i", "TAGS\u0001a")
                .body("x".getBytes(StandardCharsets.UTF_8));
    }


}
