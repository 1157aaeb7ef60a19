package dev.signet.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bson.types.Binary;
import org.junit.jupiter.api.Test;

class OutboxEventTest {

  @Test
  void storedFormKeepsTheFieldsTheRelayReadsBack() {
    var event =
        new OutboxEvent(
            "e-1",
            "auth.t.v1",
            "k-1",
            "x.Y",
            new byte[] {1, 2, 3},
            Instant.parse("2026-01-02T03:04:05Z"));

    var stored = event.toDocument();

    assertThat(stored.keySet())
        .containsExactly("eventId", "topic", "key", "type", "payload", "createdAt");
    assertThat(stored.get("payload")).isInstanceOf(Binary.class);
    var read = OutboxEvent.fromDocument(stored);
    assertThat(read.eventId()).isEqualTo("e-1");
    assertThat(read.payload()).containsExactly(1, 2, 3);
    assertThat(read.createdAt()).isEqualTo(event.createdAt());
  }

  @Test
  void theTraceContextIsStoredWithTheEventSoItsPublishContinuesTheRequestsTrace() {
    String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    var event =
        new OutboxEvent(
            "e-1",
            "auth.t.v1",
            "k-1",
            "x.Y",
            new byte[] {1},
            Instant.parse("2026-01-02T03:04:05Z"),
            traceparent);

    var read = OutboxEvent.fromDocument(event.toDocument());

    assertThat(read.traceparent()).isEqualTo(traceparent);
  }

  @Test
  void refusesAGraceTheBatchedRemovalsCouldOutlast() {
    assertThatThrownBy(
            () ->
                new OutboxSettings(
                    List.of("c"),
                    Duration.ofSeconds(1),
                    Duration.ofMillis(200),
                    Duration.ofSeconds(1),
                    10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("grace");
  }
}
