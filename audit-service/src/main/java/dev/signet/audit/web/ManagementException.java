package dev.signet.audit.web;

import dev.signet.platform.web.HttpError;

/**
 * A refused management request; the message is the {@code errorDescription} shown to the caller.
 */
public final class ManagementException extends RuntimeException implements DocumentedError {

  private final ManagementError error;

  public ManagementException(ManagementError error, String description) {
    super(description);
    this.error = error;
  }

  public ManagementError error() {
    return error;
  }

  @Override
  public HttpError httpError() {
    return new HttpError(error.status(), error.code(), getMessage());
  }

  public static ManagementException invalid(String description) {
    return new ManagementException(ManagementError.INVALID_REQUEST, description);
  }

  public static ManagementException notFound(String description) {
    return new ManagementException(ManagementError.NOT_FOUND, description);
  }
}
