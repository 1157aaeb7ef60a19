package dev.signet.audit.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
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
 * The single error mapper of audit-service's HTTP surface: every failure leaves as {@code
 * {"error","errorDescription"}}. Unexpected exceptions become {@code internal_error} without
 * detail; the log keeps the cause.
 */
@Component
@Order(-2)
class ManagementErrorHandler implements WebExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ManagementErrorHandler.class);

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
    if (exchange.getResponse().isCommitted()) {
      return Mono.error(failure);
    }
    ManagementError error;
    String description;
    if (failure instanceof ManagementException managed) {
      error = managed.error();
      description = managed.getMessage();
    } else if (hasCause(failure, DataBufferLimitException.class)) {
      error = ManagementError.PAYLOAD_TOO_LARGE;
      description = "The request body is too large.";
    } else if (failure instanceof UnsupportedMediaTypeStatusException) {
      error = ManagementError.UNSUPPORTED_MEDIA_TYPE;
      description = "The request body must be JSON (Content-Type: application/json).";
    } else if (failure instanceof MethodNotAllowedException) {
      error = ManagementError.METHOD_NOT_ALLOWED;
      description = "The method is not allowed for this resource.";
    } else if (failure instanceof ServerWebInputException) {
      error = ManagementError.INVALID_REQUEST;
      description = "The request is not valid for this endpoint.";
    } else if (failure instanceof NotAcceptableStatusException) {
      error = ManagementError.INVALID_REQUEST;
      description = "The API only produces application/json.";
    } else if (failure instanceof ResponseStatusException status
        && status.getStatusCode().value() == 404) {
      error = ManagementError.NOT_FOUND;
      description = "The requested resource was not found.";
    } else {
      log.error(
          "request failed id={} path={}",
          exchange.getRequest().getId(),
          exchange.getRequest().getPath().value(),
          failure);
      error = ManagementError.INTERNAL_ERROR;
      description = "An internal error occurred.";
    }
    return ErrorBodies.write(exchange.getResponse(), error, description);
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
