package dev.signet.audit.web;

import org.springframework.http.HttpStatus;

/** The error codes of the management API, with the same body shape as the server API. */
public enum ManagementError {
  UNAUTHORIZED("unauthorized", HttpStatus.UNAUTHORIZED),
  INVALID_REQUEST("invalid_request", HttpStatus.BAD_REQUEST),
  NOT_FOUND("not_found", HttpStatus.NOT_FOUND),
  METHOD_NOT_ALLOWED("method_not_allowed", HttpStatus.METHOD_NOT_ALLOWED),
  UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", HttpStatus.UNSUPPORTED_MEDIA_TYPE),
  CONFLICT("conflict", HttpStatus.CONFLICT),
  PAYLOAD_TOO_LARGE("payload_too_large", HttpStatus.PAYLOAD_TOO_LARGE),
  INVALID_CONFIGURATION("invalid_configuration", HttpStatus.SERVICE_UNAVAILABLE),
  INTERNAL_ERROR("internal_error", HttpStatus.INTERNAL_SERVER_ERROR);

  private final String code;
  private final HttpStatus status;

  ManagementError(String code, HttpStatus status) {
    this.code = code;
    this.status = status;
  }

  public String code() {
    return code;
  }

  public HttpStatus status() {
    return status;
  }
}
