package dev.signet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoSocketOpenException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.ServerAddress;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

/** While MongoDB is unreachable a request is answered with the documented 503, never a 500. */
class StoreUnavailableAnswerTest {

  private final JsonErrorHandler handler =
      new JsonErrorHandler(ErrorResponder.json("Bearer"), (exchange, failure) -> Optional.empty());

  @Test
  void answersServiceUnavailableWithRetryAfterWhenNoServerCanBeSelected() {
    MockServerWebExchange exchange =
        handle(
            new DataAccessResourceFailureException(
                "Timed out", new MongoTimeoutException("Timed out while waiting for a server")));

    assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER))
        .isEqualTo("5");
    assertThat(exchange.getResponse().getBodyAsString().block())
        .isEqualTo(
            "{\"error\":\"service_unavailable\",\"errorCode\":\"service_unavailable\","
                + "\"errorDescription\":\"The service cannot reach its data store right now;"
                + " retry after the time in Retry-After.\"}");
  }

  @Test
  void answersServiceUnavailableWhenTheConnectionIsRefused() {
    MockServerWebExchange exchange =
        handle(
            new MongoSocketOpenException(
                "Exception opening socket",
                new ServerAddress("127.0.0.1", 1),
                new IOException("Connection refused")));

    assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
  }

  @Test
  void anyOtherFailureStaysAnInternalError() {
    MockServerWebExchange exchange = handle(new IllegalStateException("bug"));

    assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNull();
  }

  private MockServerWebExchange handle(Throwable failure) {
    MockServerWebExchange exchange =
        MockServerWebExchange.from(MockServerHttpRequest.get("/v1/challenges/x"));
    handler.handle(exchange, failure).block();
    return exchange;
  }
}
