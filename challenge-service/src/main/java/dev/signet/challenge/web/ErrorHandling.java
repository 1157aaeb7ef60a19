package dev.signet.challenge.web;

import dev.signet.challenge.outcome.Refusal;
import dev.signet.challenge.outcome.Refused;
import dev.signet.platform.web.ErrorResponder;
import dev.signet.platform.web.HttpError;
import dev.signet.platform.web.JsonErrorHandler;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

/**
 * The one error responder of the service and the single exception handler that writes through it:
 * the domain's {@link Refusal} outcomes and the documented {@link ApiException} outcomes first,
 * then what the framework refuses; anything else is {@code internal_error} without detail, the
 * cause kept in the log. This is the one place a domain outcome becomes an HTTP status.
 */
@Configuration(proxyBeanMethods = false)
class ErrorHandling {

  @Bean
  ChallengeErrors challengeErrors() {
    return new ChallengeErrors();
  }

  @Bean
  @Order(-2)
  JsonErrorHandler jsonErrorHandler(ErrorResponder errors) {
    return new JsonErrorHandler(errors, ErrorHandling::domain);
  }

  static Optional<HttpError> domain(ServerWebExchange exchange, Throwable failure) {
    if (failure instanceof Refused refused) {
      return Optional.of(answer(exchange, refused.refusal()));
    }
    if (!(failure instanceof ApiException api)) {
      return Optional.empty();
    }
    if (api.error() == ApiError.TOO_MANY_REQUESTS) {
      // Every 429 says when to come back; contention retries clear within a second.
      exchange.getResponse().getHeaders().set("Retry-After", "1");
    }
    return Optional.of(new HttpError(api.error().status(), api.error().code(), api.getMessage()));
  }

  /** A domain refusal as its documented status and body; a limit says when to come back. */
  static HttpError answer(ServerWebExchange exchange, Refusal refusal) {
    return new HttpError(status(refusal, exchange), refusal.code(), refusal.description());
  }

  private static HttpStatus status(Refusal refusal, ServerWebExchange exchange) {
    if (refusal instanceof Refusal.TooManyRequests limited) {
      exchange
          .getResponse()
          .getHeaders()
          .set("Retry-After", Long.toString(limited.retryAfterSeconds()));
      return ApiError.TOO_MANY_REQUESTS.status();
    }
    if (refusal instanceof Refusal.NotFound) {
      return ApiError.NOT_FOUND.status();
    }
    return ApiError.INVALID_REQUEST.status();
  }
}
