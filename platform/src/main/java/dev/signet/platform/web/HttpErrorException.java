package dev.signet.platform.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

/**
 * An expected refusal that carries its documented JSON error; {@link JsonErrorHandler} answers it
 * as such, before the service's own mapping. The message is the {@code errorDescription} shown to
 * the caller, so it never holds anything the caller must not see.
 */
public class HttpErrorException extends RuntimeException {

  private final transient HttpError error;

  public HttpErrorException(HttpError error) {
    super(error.description());
    this.error = error;
  }

  public HttpError error() {
    return error;
  }

  /** Adds headers the answer needs (e.g. {@code Retry-After}); none by default. */
  public void decorate(ServerWebExchange exchange) {}

  /** {@code 400 invalid_request}. */
  public static HttpErrorException invalid(String description) {
    return new HttpErrorException(HttpError.badRequest(description));
  }

  /** {@code 404 not_found}. */
  public static HttpErrorException notFound(String description) {
    return new HttpErrorException(new HttpError(HttpStatus.NOT_FOUND, "not_found", description));
  }

  /** {@code 409 conflict}. */
  public static HttpErrorException conflict(String description) {
    return new HttpErrorException(new HttpError(HttpStatus.CONFLICT, "conflict", description));
  }
}
