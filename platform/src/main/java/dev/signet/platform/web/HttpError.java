package dev.signet.platform.web;

import org.springframework.http.HttpStatus;

/**
 * One documented JSON error: the HTTP status, the stable snake_case {@code error} code and the
 * human-readable {@code errorDescription}.
 */
public record HttpError(HttpStatus status, String code, String description) {

  public static HttpError badRequest(String description) {
    return new HttpError(HttpStatus.BAD_REQUEST, "invalid_request", description);
  }

  public static HttpError unauthorized(String description) {
    return new HttpError(HttpStatus.UNAUTHORIZED, "unauthorized", description);
  }

  public static HttpError forbidden(String description) {
    return new HttpError(HttpStatus.FORBIDDEN, "forbidden", description);
  }

  public static HttpError notFound() {
    return new HttpError(
        HttpStatus.NOT_FOUND, "not_found", "The requested resource was not found.");
  }

  public static HttpError internal() {
    return new HttpError(
        HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "An internal error occurred.");
  }
}
