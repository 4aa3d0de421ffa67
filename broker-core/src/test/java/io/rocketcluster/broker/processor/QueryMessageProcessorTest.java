package io.rocketcluster.broker.processor;

import io.rocketcluster.broker.BrokerController;
import io.rocketcluster.broker.store.MessageProperties;
import io.rocketcluster.broker.store.MessageToStore;
import io.rocketcluster.broker.store.PutResult;
import io.rocketcluster.broker.store.StoredRecord;
import io.rocketcluster.remoting.netty.NettyRemotingClient;
import io.rocketcluster.remoting.protocol.RemotingCommand;
import io.rocketcluster.remoting.protocol.RequestCode;
import io.rocketcluster.remoting.protocol.ResponseCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** QUERY_MESSAGE over the wire against an in-process broker (both ports), on records put into its store. */
class QueryMessageProcessorTest {
    @TempDir
    static Path dir;
    static BrokerController broker;
    static NettyRemotingClient client;
    static int port;
    static final List<PutResult> puts = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        port = io.rocketcluster.broker.TestPorts.freeBrokerPort();
        broker = io.rocketcluster.broker.TestBrokers.start(dir, port, "query", Map.of("maxMessageSize", String.valueOf(1024 * 1024), "maxHashSlotNum", "64",
                "maxIndexNum", "256", "defaultQueryMaxNum", "3"));
        client = new NettyRemotingClient("query-test");
        // "Aa" and "BB" have the same String hash, so T#Aa and T#BB share index entries' hash
        assertThat("T#Aa".hashCode()).isEqualTo("T#BB".hashCode());
        String[] keys = {"Aa", "BB", "k2 shared", "k3 shared", "k4 shared", "k5 shared"};
        for (int i = 0; i < keys.length; i++) {
            puts.add(broker.store().put(msg("T", keys[i], "U" + i), true).join());
        }
        puts.add(broker.store().put(msg("Other", "Aa", "U6"), true).join());
        await().atMost(Duration.ofSeconds(5)).until(() -> !broker.store().queryIndex("T", "k5", 1, 0, Long.MAX_VALUE)
                .offsets().isEmpty() && !broker.store().queryIndex("Other", "Aa", 1, 0, Long.MAX_VALUE).offsets().isEmpty());
    }

    @AfterAll
    static void stop() {
        client.close();
        broker.shutdown();
    }

    private static MessageToStore msg(String topic, String keys, String uniq) throws Exception {
        MessageToStore m = new MessageToStore();
        m.topic = topic;
        m.body = ("body of " + uniq).getBytes(StandardCharsets.UTF_8);
        Map<String, String> props = new LinkedHashMap<>();
        props.put(MessageProperties.KEYS, keys);
        props.put(MessageProperties.UNIQ_KEY, uniq);
        m.properties = MessageProperties.format(props);
        m.bornTimestamp = System.currentTimeMillis();
        m.bornHost = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5555);
        m.storeHost = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
        return m;
    }

    private static RemotingCommand query(int onPort, String topic, String key, int maxNum, long begin, long end,
                                         Boolean unique) throws Exception {
        RemotingCommand req = RemotingCommand.request(RequestCode.QUERY_MESSAGE)
                .put("topic", topic).put("key", key).put("maxNum", maxNum)
                .put("beginTimestamp", begin).put("endTimestamp", end);
        if (unique != null) {
            req.put(QueryMessageProcessor.UNIQUE_KEY_QUERY, unique);
        }
        return client.invokeSync("127.0.0.1:" + onPort, req, 5000);
    }

    /** The UNIQ_KEYs of the records in a response body, in order. */
    private static List<String> uniqKeys(RemotingCommand response) {
        List<String> out = new ArrayList<>();
        ByteBuffer body = ByteBuffer.wrap(response.body());
        int pos = 0;
        while (pos < body.limit()) {
            StoredRecord r = StoredRecord.parse(body, pos, body.limit(), true);
            assertThat(r.isMessage()).isTrue();
            out.add(MessageProperties.get(r.properties(), MessageProperties.UNIQ_KEY));
            pos += r.size();
        }
        return out;
    }

    @Test
    void answersWithTheMatchingRecordsAndTheIndexPositionOnBothPorts() throws Exception {
        for (int p : new int[]{port, port - 2}) {
            RemotingCommand r = query(p, "T", "shared", 64, 0, Long.MAX_VALUE, false);
            assertThat(r.code()).isEqualTo(ResponseCode.SUCCESS);
            assertThat(uniqKeys(r)).containsExactly("U2", "U3", "U4", "U5");
            assertThat(r.get("indexLastUpdatePhyoffset")).isEqualTo(String.valueOf(puts.get(6).wroteOffset()));
            assertThat(r.get("indexLastUpdateTimestamp")).isEqualTo(String.valueOf(puts.get(6).storeTimestamp()));
        }
        assertThat(uniqKeys(query(port, "T", "U3", 64, 0, Long.MAX_VALUE, true))).containsExactly("U3");
        assertThat(uniqKeys(query(port, "T", "shared", 2, 0, Long.MAX_VALUE, false))).containsExactly("U4", "U5");
    }

    @Test
    void aUniqueKeyQueryUsesDefaultQueryMaxNum() throws Exception {
        assertThat(uniqKeys(query(port, "T", "shared", 1, 0, Long.MAX_VALUE, true))).containsExactly("U3", "U4", "U5");
    }

    @Test
    void hashCollisionsAndOtherTopicsAreLeftOut() throws Exception {
        assertThat(broker.store().queryIndex("T", "Aa", 64, 0, Long.MAX_VALUE).offsets())
                .containsExactly(puts.get(0).wroteOffset(), puts.get(1).wroteOffset());
        assertThat(uniqKeys(query(port, "T", "Aa", 64, 0, Long.MAX_VALUE, false))).containsExactly("U0");
        assertThat(uniqKeys(query(port, "T", "BB", 64, 0, Long.MAX_VALUE, false))).containsExactly("U1");
        assertThat(uniqKeys(query(port, "Other", "Aa", 64, 0, Long.MAX_VALUE, false))).containsExactly("U6");
    }

    @Test
    void nothingFoundIsQueryNotFound() throws Exception {
        long after = puts.get(6).storeTimestamp() + 2000;
        for (RemotingCommand r : List.of(query(port, "T", "nope", 64, 0, Long.MAX_VALUE, null),
                query(port, "T", "k2", 64, after, Long.MAX_VALUE, false),
                query(port, "Nope", "k2", 64, 0, Long.MAX_VALUE, false))) {
            assertThat(r.code()).isEqualTo(ResponseCode.QUERY_NOT_FOUND);
            assertThat(r.remark()).isEqualTo("can not find message, maybe time range not correct");
            assertThat(r.get("indexLastUpdateTimestamp")).isNotNull();
            assertThat(r.get("indexLastUpdatePhyoffset")).isNotNull();
        }
    }

    @Test
    void viewMessageByIdStillReturnsOneRecord() throws Exception {
        RemotingCommand r = client.invokeSync("127.0.0.1:" + port, RemotingCommand.request(RequestCode.VIEW_MESSAGE_BY_ID)
                .put("offset", puts.get(3).wroteOffset()), 5000);
        assertThat(r.code()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(uniqKeys(r)).containsExactly("U3");
    }

}
