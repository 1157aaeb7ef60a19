package dev.signet.platform.web;

import java.util.Optional;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

/**
 * The documented errors for what the web framework itself refuses (body too large, wrong content
 * type, wrong method, unreadable body, a member of the wrong JSON type, unknown route, a header the
 * firewall refuses), the same on every service.
 */
public final class FrameworkErrors {

  private FrameworkErrors() {}

  /** The error for {@code failure}, or empty when it is not a refusal of the framework's. */
  public static Optional<HttpError> classify(Throwable failure) {
    if (hasCause(failure, DataBufferLimitException.class)) {
      return Optional.of(
          new HttpError(
              HttpStatus.PAYLOAD_TOO_LARGE, "payload_too_large", "The request body is too large."));
    }
    if (failure instanceof ServerExchangeRejectedException) {
      return Optional.of(Firewall.REJECTED);
    }
    if (failure instanceof UnsupportedMediaTypeStatusException) {
      return Optional.of(
          new HttpError(
              HttpStatus.UNSUPPORTED_MEDIA_TYPE,
              "unsupported_media_type",
              "The request body must be JSON (Content-Type: application/json)."));
    }
    if (failure instanceof MethodNotAllowedException) {
      return Optional.of(
          new HttpError(
              HttpStatus.METHOD_NOT_ALLOWED,
              "method_not_allowed",
              "The method is not allowed for this resource."));
    }
    if (failure instanceof ServerWebInputException) {
      return Optional.of(
          HttpError.badRequest(
              JsonMismatch.describe(
                  failure, "The request body is not valid JSON for this endpoint.")));
    }
    if (failure instanceof NotAcceptableStatusException) {
      return Optional.of(HttpError.badRequest("The API only produces application/json."));
    }
    if (failure instanceof ResponseStatusException status
        && status.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
      return Optional.of(HttpError.notFound());
    }
    return Optional.empty();
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
