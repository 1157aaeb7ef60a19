package dev.signet.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RecordTracesTest {

  private static ConsumerRecord<String, String> withTraceparent(String value) {
    ConsumerRecord<String, String> record = new ConsumerRecord<>("auth.t.v1", 0, 0L, "k", "v");
    if (value != null) {
      record.headers().add("traceparent", value.getBytes(StandardCharsets.US_ASCII));
    }
    return record;
  }

  @Test
  void readsTheTraceIdOfASampledOrUnsampledTraceparent() {
    assertThat(
            RecordTraces.traceId(
                withTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")))
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(
            RecordTraces.traceId(
                withTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")))
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void noHeaderOrAMalformedOneIsNoTraceId() {
    assertThat(RecordTraces.traceId(withTraceparent(null))).isNull();
    assertThat(RecordTraces.traceId(withTraceparent("garbage"))).isNull();
    assertThat(
            RecordTraces.traceId(
                withTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01")))
        .isNull();
    assertThat(
            RecordTraces.traceId(
                withTraceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")))
        .isNull();
    assertThat(
            RecordTraces.traceId(
                withTraceparent("00-4bf92f3577b34da6a3ce929d0e0e47<>-00f067aa0ba902b7-01")))
        .isNull();
  }
}
