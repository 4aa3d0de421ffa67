package io.rocketcluster.it;

import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/** The fault suite's checker finds what it must: lost, never-sent and altered messages, and duplicates. */
class HistoryTest {
    private static SendResult status(SendStatus s) {
        SendResult r = new SendResult();
        r.setSendStatus(s);
        return r;
    }

    private static History history() {
        History h = new History();
        for (String k : List.of("a", "b", "c", "d", "e")) {
            h.attempt(k);
        }
        h.answered("a", status(SendStatus.SEND_OK));
        h.answered("b", status(SendStatus.SEND_OK));
        h.answered("c", status(SendStatus.FLUSH_SLAVE_TIMEOUT));
        h.failed("d", new TimeoutException("no answer"));
        // "e": attempted, never answered
        return h;
    }

    @Test
    void everyAcknowledgedMessageReadOnceIsClean() {
        History h = history();
        History.Report r = h.check("broker", Map.of("a", List.of(History.body("a")), "b", List.of(History.body("b")),
                "d", List.of(History.body("d"))), h.acked());
        assertThat(r.problems()).isEmpty();
        assertThat(r.unknownRead()).isEqualTo(1);
        assertThat(r.duplicates()).isZero();
        assertThat(h.counts()).containsEntry(History.Outcome.ACKED, 2).containsEntry(History.Outcome.STORED, 1)
                .containsEntry(History.Outcome.UNKNOWN, 2);
    }

    @Test
    void aMissingAcknowledgedMessageIsLostButAMissingUnacknowledgedOneIsNot() {
        History h = history();
        History.Report r = h.check("broker", Map.of("a", List.of(History.body("a"))), h.acked());
        assertThat(r.lost()).containsExactly("b");
        assertThat(r.problems()).singleElement().asString().contains("1 promised messages missing");
    }

    @Test
    void aMessageNeverSentAndAnAlteredBodyAreFound() {
        History h = history();
        History.Report r = h.check("broker", Map.of("a", List.of(History.body("a")),
                "b", List.of("spliced".getBytes(StandardCharsets.UTF_8)), "zzz", List.of(History.body("zzz"))), h.acked());
        assertThat(r.phantoms()).containsExactly("zzz");
        assertThat(r.corrupted()).containsExactly("b");
        assertThat(r.problems()).hasSize(2);
    }

    @Test
    void duplicatesAreCountedNotFailed() {
        History h = history();
        History.Report r = h.check("broker", Map.of("a", List.of(History.body("a"), History.body("a")),
                "b", List.of(History.body("b"))), h.acked());
        assertThat(r.duplicates()).isEqualTo(1);
        assertThat(r.read()).isEqualTo(3);
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void ackedByCutsAtTheAnswerTime() throws Exception {
        History h = new History();
        h.attempt("early");
        h.answered("early", status(SendStatus.SEND_OK));
        long between = System.nanoTime();
        Thread.sleep(1);
        h.attempt("late");
        h.answered("late", status(SendStatus.SEND_OK));
        assertThat(h.ackedBy(between)).containsExactly("early");
        assertThat(h.acked()).containsExactlyInAnyOrder("early", "late");
    }
}
