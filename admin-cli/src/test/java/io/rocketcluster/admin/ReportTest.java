package io.rocketcluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.rocketcluster.remoting.data.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private String run(boolean json, java.util.function.Consumer<Report> body) {
        Report r = new Report(new PrintStream(bytes, true, StandardCharsets.UTF_8), json);
        body.accept(r);
        r.finish();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void tablesAreAlignedWithHashHeaders() {
        String out = run(false, r -> r.table("q", List.of("Broker Name", "QID", "Max Offset"),
                List.of(List.of("broker-a", 0, 12L), List.of("b", 10, 3L))));
        assertThat(out).isEqualTo("""
                #Broker Name  #QID  #Max Offset
                broker-a      0     12
                b             10    3
                """);
    }

    @Test
    void jsonCollectsSectionsWithCamelCasedColumns() throws Exception {
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("Diff Total", 5);
        String out = run(true, r -> {
            r.table("queues", List.of("", "Broker Name", "QID", "InTPS(LOAD)"), List.of(List.of(1, "broker-a", 0, "1.00")));
            r.values("totals", totals);
            r.message("result", "done");
        });
        JsonNode n = Json.mapper().readTree(out);
        assertThat(n.path("queues").get(0).path("brokerName").asText()).isEqualTo("broker-a");
        assertThat(n.path("queues").get(0).path("qid").asInt()).isZero();
        assertThat(n.path("queues").get(0).has("")).isFalse();
        assertThat(n.path("queues").get(0).path("inTPSLoad").asText()).isEqualTo("1.00");
        assertThat(n.path("totals").path("Diff Total").asInt()).isEqualTo(5);
        assertThat(n.path("result").asText()).isEqualTo("done");
    }

    @Test
    void camelCase() {
        assertThat(Report.camel("Consumer Offset")).isEqualTo("consumerOffset");
        assertThat(Report.camel("#QID")).isEqualTo("qid");
        assertThat(Report.camel("PCWait(ms)")).isEqualTo("pCWaitMs");
        assertThat(Report.camel("brokerName")).isEqualTo("brokerName");
    }
}
