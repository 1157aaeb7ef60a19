package dev.signet.challenge.web;

import org.springframework.http.HttpStatus;

/**
 * The documented server API error codes (docs/api.md, errors) with their HTTP status. Raised as
 * {@link ApiException} and rendered by {@link ErrorHandling} through {@link ChallengeErrors} as
 * {@code {"error","errorCode","errorDescription"}}.
 */
public enum ApiError {
  UNAUTHORIZED("unauthorized", HttpStatus.UNAUTHORIZED),
  INVALID_REQUEST("invalid_request", HttpStatus.BAD_REQUEST),
  NOT_FOUND("not_found", HttpStatus.NOT_FOUND),
  EXPIRED_TOKEN("expired_token", HttpStatus.UNAUTHORIZED),
  /**
   * A session call's token (success, access or refresh token in the body) is not accepted: a 400,
   * so that it never reads as a rejected API secret.
   */
  INVALID_TOKEN("invalid_token", HttpStatus.BAD_REQUEST),
  TOO_MANY_REQUESTS("too_many_requests", HttpStatus.TOO_MANY_REQUESTS),
  INVALID_CONFIGURATION("invalid_configuration", HttpStatus.BAD_REQUEST),
  UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", HttpStatus.UNSUPPORTED_MEDIA_TYPE),
  PAYLOAD_TOO_LARGE("payload_too_large", HttpStatus.PAYLOAD_TOO_LARGE),
  METHOD_NOT_ALLOWED("method_not_allowed", HttpStatus.METHOD_NOT_ALLOWED),
  INTERNAL_ERROR("internal_error", HttpStatus.INTERNAL_SERVER_ERROR);

  /** Exact text the official SDKs show for a rejected API secret. */
  public static final String UNAUTHORIZED_DESCRIPTION =
      "The request is unauthorized. Check that your API key and region base URL are correctly"
          + " configured.";

  private final String code;
  private final HttpStatus status;

  ApiError(String code, HttpStatus status) {
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
