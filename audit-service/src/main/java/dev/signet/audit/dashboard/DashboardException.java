package dev.signet.audit.dashboard;

import dev.signet.audit.web.DocumentedError;
import dev.signet.platform.web.HttpError;
import org.springframework.http.HttpStatus;

/**
 * A refused dashboard request: the status, the stable snake_case {@code error} code and the text
 * shown to the operator as {@code errorDescription}.
 */
final class DashboardException extends RuntimeException implements DocumentedError {

  private final HttpStatus status;
  private final String code;

  DashboardException(HttpStatus status, String code, String description) {
    super(description, null, false, false);
    this.status = status;
    this.code = code;
  }

  static DashboardException invalid(String description) {
    return new DashboardException(HttpStatus.BAD_REQUEST, "invalid_request", description);
  }

  static DashboardException unauthorized() {
    return new DashboardException(
        HttpStatus.UNAUTHORIZED, "unauthorized", "Sign in to the dashboard.");
  }

  @Override
  public HttpError httpError() {
    return new HttpError(status, code, getMessage());
  }

  HttpStatus status() {
    return status;
  }

  String code() {
    return code;
  }
}
