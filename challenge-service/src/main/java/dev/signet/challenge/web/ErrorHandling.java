package dev.signet.challenge.web;

import dev.signet.challenge.limits.RateLimiter;
import dev.signet.platform.web.ErrorResponder;
import dev.signet.platform.web.HttpError;
import dev.signet.platform.web.JsonErrorHandler;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.web.server.ServerWebExchange;

/**
 * The one error responder of the service and the single exception handler that writes through it:
 * the documented {@link ApiException} outcomes first, then what the framework refuses; anything
 * else is {@code internal_error} without detail, the cause kept in the log.
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
    if (!(failure instanceof ApiException api)) {
      return Optional.empty();
    }
    if (api instanceof RateLimiter.TooManyRequestsException limited) {
      exchange
          .getResponse()
          .getHeaders()
          .set("Retry-After", Long.toString(limited.retryAfterSeconds()));
    } else if (api.error() == ApiError.TOO_MANY_REQUESTS) {
      // Every 429 says when to come back; contention retries clear within a second.
      exchange.getResponse().getHeaders().set("Retry-After", "1");
    }
    return Optional.of(new HttpError(api.error().status(), api.error().code(), api.getMessage()));
  }
}
