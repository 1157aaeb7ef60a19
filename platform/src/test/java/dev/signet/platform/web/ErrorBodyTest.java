package dev.signet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ErrorBodyTest {

  @Test
  void everyBodyCarriesErrorErrorCodeAndErrorDescription() {
    String body =
        new String(
            ErrorBody.json("unauthorized", "The request is unauthorized."), StandardCharsets.UTF_8);

    assertThat(body)
        .isEqualTo(
            "{\"error\":\"unauthorized\",\"errorCode\":\"unauthorized\","
                + "\"errorDescription\":\"The request is unauthorized.\"}");
  }

  @Test
  void escapesMarkupAndQuotesInEveryField() {
    String body = new String(ErrorBody.json("a\"b", "<script>\n</script>"), StandardCharsets.UTF_8);

    assertThat(body)
        .isEqualTo(
            "{\"error\":\"a\\\"b\",\"errorCode\":\"a\\\"b\","
                + "\"errorDescription\":\"\\u003cscript\\u003e\\n\\u003c/script\\u003e\"}");
  }
}
