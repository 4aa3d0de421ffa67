package io.rocketcluster.remoting.data;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Queue-keyed maps go out as JSON strings holding the queue object (docs/remoting.md §11 item 4). */
class MessageQueueKeysTest {
    @Test
    void consumeStatsKeysAreStringsHoldingTheQueue() throws Exception {
        ConsumeStats stats = new ConsumeStats();
        stats.offsetTable.put(new MessageQueue("T", "b", 0), new OffsetWrapper(7, 5, 1700000000000L));
        stats.consumeTps = 1.5;
        String json = new String(Json.encode(stats), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"consumeTps\":1.5,\"offsetTable\":{\"{\\\"brokerName\\\":\\\"b\\\",\\\"queueId\\\":0,"
                + "\\\"topic\\\":\\\"T\\\"}\":{\"brokerOffset\":7,\"consumerOffset\":5,\"lastTimestamp\":1700000000000}}}");
        ConsumeStats back = Json.decode(json, ConsumeStats.class);
        assertThat(back.offsetTable).containsOnlyKeys(new MessageQueue("T", "b", 0));
        assertThat(back.totalDiff()).isEqualTo(2);
    }

    @Test
    void resetAndTopicStatsBodiesUseTheSameKeys() throws Exception {
        ResetOffsetBody reset = new ResetOffsetBody();
        reset.offsetTable.put(new MessageQueue("T", "b", 3), 42L);
        assertThat(new String(Json.encode(reset), StandardCharsets.UTF_8)).isEqualTo(
                "{\"offsetTable\":{\"{\\\"brokerName\\\":\\\"b\\\",\\\"queueId\\\":3,\\\"topic\\\":\\\"T\\\"}\":42}}");
        TopicStatsTable table = new TopicStatsTable();
        table.offsetTable.put(new MessageQueue("T", "b", 1), new TopicOffset(0, 9, 5));
        TopicStatsTable back = Json.decode(new String(Json.encode(table), StandardCharsets.UTF_8), TopicStatsTable.class);
        assertThat(back.offsetTable.get(new MessageQueue("T", "b", 1)).maxOffset).isEqualTo(9);
    }
}
