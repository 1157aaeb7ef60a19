package dev.signet.challenge.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * The single error mapper of the HTTP surface: every failure, including unknown routes, wrong
 * methods, wrong content types, oversized and malformed bodies, leaves as a documented JSON error
 * body. Unexpected exceptions become {@code internal_error} without detail; the log keeps the
 * cause.
 */
@Component
@Order(-2)
class ApiErrorHandler implements WebExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
    if (exchange.getResponse().isCommitted()) {
      return Mono.error(failure);
    }
    ApiError error;
    String description;
    if (failure instanceof ApiException api) {
      error = api.error();
      description = api.getMessage();
      if (api instanceof dev.signet.challenge.limits.RateLimiter.TooManyRequestsException limited) {
        exchange
            .getResponse()
            .getHeaders()
            .set("Retry-After", Long.toString(limited.retryAfterSeconds()));
      } else if (error == ApiError.TOO_MANY_REQUESTS) {
        // Every 429 says when to come back; contention retries clear within a second.
        exchange.getResponse().getHeaders().set("Retry-After", "1");
      }
    } else if (hasCause(failure, DataBufferLimitException.class)) {
      error = ApiError.PAYLOAD_TOO_LARGE;
      description = "The request body is too large.";
    } else if (failure instanceof UnsupportedMediaTypeStatusException) {
      error = ApiError.UNSUPPORTED_MEDIA_TYPE;
      description = "The request body must be JSON (Content-Type: application/json).";
    } else if (failure instanceof MethodNotAllowedException) {
      error = ApiError.METHOD_NOT_ALLOWED;
      description = "The method is not allowed for this resource.";
    } else if (failure instanceof ServerWebInputException) {
      error = ApiError.INVALID_REQUEST;
      description = "The request body is not valid JSON for this endpoint.";
    } else if (failure instanceof NotAcceptableStatusException) {
      error = ApiError.INVALID_REQUEST;
      description = "The API only produces application/json.";
    } else if (failure instanceof ResponseStatusException status
        && status.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
      error = ApiError.NOT_FOUND;
      description = "The requested resource was not found.";
    } else {
      log.error(
          "request failed id={} path={}",
          exchange.getRequest().getId(),
          exchange.getRequest().getPath().value(),
          failure);
      error = ApiError.INTERNAL_ERROR;
      description = "An internal error occurred.";
    }
    return ErrorBodies.write(exchange, error, description);
  }

  private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
