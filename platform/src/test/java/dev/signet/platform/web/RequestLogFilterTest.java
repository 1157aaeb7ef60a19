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

  private void handle(String path, HttpStatus status) {
    var exchange = MockServerWebExchange.from(MockServerHttpRequest.get(path).build());
    filter
        .filter(
            exchange,
            e -> {
              e.getResponse().setStatusCode(status);
              return Mono.empty();
            })
        .block();
  }

  @Test
  void answeredProbesAndScrapesAreNotLoggedButRefusedActuatorRequestsAre(CapturedOutput output) {
    handle("/actuator/health/readiness", HttpStatus.OK);
    handle("/actuator/prometheus", HttpStatus.UNAUTHORIZED);

    assertThat(output).doesNotContain("path=/actuator/health/readiness");
    assertThat(output).contains("path=/actuator/prometheus status=401");
  }
}
