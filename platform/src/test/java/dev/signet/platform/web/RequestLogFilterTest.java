package dev.signet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

@ExtendWith(OutputCaptureExtension.class)
class RequestLogFilterTest {

  private final RequestLogFilter filter = new RequestLogFilter();

  private MockServerWebExchange handle(String path, HttpStatus status) {
    return handle(MockServerHttpRequest.get(path).build(), status);
  }

  private MockServerWebExchange handle(MockServerHttpRequest request, HttpStatus status) {
    var exchange = MockServerWebExchange.from(request);
    filter
        .filter(
            exchange,
            e -> {
              e.getResponse().setStatusCode(status);
              return Mono.empty();
            })
        .block();
    return exchange;
  }

  @Test
  void answeredProbesAndScrapesAreNotLoggedButRefusedActuatorRequestsAre(CapturedOutput output) {
    handle("/actuator/health/readiness", HttpStatus.OK);
    handle("/actuator/prometheus", HttpStatus.UNAUTHORIZED);

    assertThat(output).doesNotContain("path=/actuator/health/readiness");
    assertThat(output).contains("path=/actuator/prometheus status=401");
  }

  @Test
  void aCallersCorrelationIdIsKeptEchoedAndLogged(CapturedOutput output) {
    var exchange =
        handle(
            MockServerHttpRequest.get("/v1/users/u1")
                .header(CorrelationId.HEADER, "gw-req.42_~x")
                .build(),
            HttpStatus.OK);

    assertThat((String) exchange.getAttribute(CorrelationId.ATTRIBUTE)).isEqualTo("gw-req.42_~x");
    assertThat(exchange.getResponse().getHeaders().getFirst(CorrelationId.HEADER))
        .isEqualTo("gw-req.42_~x");
    assertThat(output).contains("correlationId=gw-req.42_~x method=GET path=/v1/users/u1");
  }

  @Test
  void anUnacceptableCorrelationIdIsReplacedNeverEchoedOrLogged(CapturedOutput output) {
    for (String sent : new String[] {"a b", "x\nforged=1", "+447700900123", "y".repeat(129), ""}) {
      var exchange =
          handle(
              MockServerHttpRequest.get("/v1/users/u1").header(CorrelationId.HEADER, sent).build(),
              HttpStatus.UNAUTHORIZED);

      String id = exchange.getAttribute(CorrelationId.ATTRIBUTE);
      assertThat(id).matches("[0-9a-f-]{36}");
      assertThat(exchange.getResponse().getHeaders().getFirst(CorrelationId.HEADER)).isEqualTo(id);
      assertThat(output).contains("correlationId=" + id + " ");
    }
    assertThat(output).doesNotContain("forged").doesNotContain("447700900123");
  }

  @Test
  void withoutAHeaderEachRequestGetsItsOwnId() {
    String first = handle("/v1/users/u1", HttpStatus.OK).getAttribute(CorrelationId.ATTRIBUTE);
    String second = handle("/v1/users/u1", HttpStatus.OK).getAttribute(CorrelationId.ATTRIBUTE);

    assertThat(first).isNotBlank().isNotEqualTo(second);
  }
}
