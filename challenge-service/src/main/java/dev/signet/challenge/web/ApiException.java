package dev.signet.challenge.web;

/** A request the API refuses with one of the documented error bodies. */
public class ApiException extends RuntimeException {

  private final ApiError error;

  public ApiException(ApiError error, String description) {
    super(description, null, false, false);
    this.error = error;
  }

  public ApiError error() {
    return error;
  }

  public static ApiException invalid(String description) {
    return new ApiException(ApiError.INVALID_REQUEST, description);
  }
}
