package dev.signet.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

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
}
