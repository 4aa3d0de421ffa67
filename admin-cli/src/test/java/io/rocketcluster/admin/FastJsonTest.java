package io.rocketcluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FastJsonTest {
    @Test
    void readsMessageQueueObjectsInKeyPositionAsFastjsonWritesThem() {
        String body = "{\"consumeTps\":1.5,\"offsetTable\":{{\"brokerName\":\"b\",\"queueId\":0,\"topic\":\"t\"}:"
                + "{\"brokerOffset\":7,\"consumerOffset\":5,\"lastTimestamp\":0},"
                + "{\"brokerName\":\"b\",\"queueId\":1,\"topic\":\"t\"}:{\"brokerOffset\":3,\"consumerOffset\":3}}}";
        JsonNode n = FastJson.parse(body);
        assertThat(n.path("consumeTps").asDouble()).isEqualTo(1.5);
        List<FastJson.Queue> queues = new ArrayList<>();
        n.path("offsetTable").fields().forEachRemaining(e -> queues.add(FastJson.messageQueue(e.getKey())));
        assertThat(queues).containsExactly(new FastJson.Queue("t", "b", 0), new FastJson.Queue("t", "b", 1));
        assertThat(n.path("offsetTable").elements().next().path("brokerOffset").asLong()).isEqualTo(7);
    }

    @Test
    void readsTheStandardFormOfMessageQueueKeysToo() {
        String body = "{\"offsetTable\":{\"{\\\"brokerName\\\":\\\"b\\\",\\\"queueId\\\":2,\\\"topic\\\":\\\"t\\\"}\":4}}";
        JsonNode n = FastJson.parse(body);
        String key = n.path("offsetTable").fieldNames().next();
        assertThat(FastJson.messageQueue(key)).isEqualTo(new FastJson.Queue("t", "b", 2));
        assertThat(n.path("offsetTable").path(key).asLong()).isEqualTo(4);
    }

    @Test
    void readsUnquotedNumericKeys() {
        JsonNode n = FastJson.parse("{\"brokerAddrTable\":{\"broker-a\":{\"brokerAddrs\":{0:\"127.0.0.1:10911\",1:\"127.0.0.1:11911\"},"
                + "\"brokerName\":\"broker-a\",\"cluster\":\"c\"}},\"clusterAddrTable\":{\"c\":[\"broker-a\"]}}");
        JsonNode addrs = n.path("brokerAddrTable").path("broker-a").path("brokerAddrs");
        assertThat(AdminClient.addresses(addrs)).containsEntry(0L, "127.0.0.1:10911").containsEntry(1L, "127.0.0.1:11911");
        assertThat(AdminClient.selectAddress(addrs)).isEqualTo("127.0.0.1:10911");
    }

    @Test
    void leavesStringsWithBracesAndColonsAlone() {
        JsonNode n = FastJson.parse("{\"remark\":\"a {b}: [c], \\\"d\\\"\",\"list\":[{\"x\":1},{\"y\":[2,{\"z\":3}]}]}");
        assertThat(n.path("remark").asText()).isEqualTo("a {b}: [c], \"d\"");
        assertThat(n.path("list").get(1).path("y").get(1).path("z").asInt()).isEqualTo(3);
    }

    @Test
    void badJsonIsARefusal() {
        assertThatThrownBy(() -> FastJson.parse("{\"a\":")).isInstanceOf(AdminException.class)
                .extracting(e -> ((AdminException) e).exitCode()).isEqualTo(AdminException.REFUSED);
    }
}
