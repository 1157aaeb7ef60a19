package dev.signet.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

class SpanScrubberTest {

  @Test
  void masksInternationalNumbersAsTheLogsDo() {
    assertThat(SpanScrubber.scrub("error", "dup key { phone: \"+447700900123\" }"))
        .isEqualTo("dup key { phone: \"+44******0123\" }");
  }

  @Test
  void dropsTheQueryStringOfUrls() {
    assertThat(SpanScrubber.scrub("http.url", "/inbox?to=%2B447700900123&code=123456"))
        .isEqualTo("/inbox");
    assertThat(SpanScrubber.scrub("uri", "/v1/verify?code=1")).isEqualTo("/v1/verify");
  }

  @Test
  void leavesOtherValuesAlone() {
    assertThat(SpanScrubber.scrub("messaging.kafka.message.offset", "12345678"))
        .isEqualTo("12345678");
    assertThat(SpanScrubber.scrub("db.operation", "find?")).isEqualTo("find?");
  }

  @Test
  void aFailedSpanKeepsItsStatusAndExceptionTypeButNeitherMessageNorStack() {
    TracingIT.CapturingExporter capture = new TracingIT.CapturingExporter();
    try (SdkTracerProvider tracing =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new SpanScrubber(capture)))
            .build()) {
      Span span = tracing.get("test").spanBuilder("insert").startSpan();
      IllegalStateException failure =
          new IllegalStateException(
              "E11000 dup key { phone: \"+447700900123\", code: \"482915\" }");
      span.setAttribute("http.url", "/v1/verify?code=482915");
      span.setAttribute("peer", "+447700900123");
      span.setAttribute("attempt", 2L);
      span.recordException(failure);
      span.setStatus(StatusCode.ERROR, failure.getMessage());
      span.end();
    }

    SpanData span = capture.spans.get(0);
    String everything =
        span.getAttributes()
            + span.getStatus().toString()
            + span.getEvents().stream().map(e -> e.getName() + e.getAttributes()).toList();
    assertThat(everything).doesNotContain("447700900123").doesNotContain("482915");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(AttributeKey.longKey("attempt"))).isEqualTo(2L);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("peer"))).isEqualTo("+44******0123");
    assertThat(span.getEvents())
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getName()).isEqualTo("exception");
              assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.type")))
                  .isEqualTo(IllegalStateException.class.getName());
            });
  }
}
