package dev.signet.events.serde;

/**
 * The schema registry refused a request (HTTP 4xx, with the registry's {@code error_code} and
 * {@code message}) or could not be reached after the retries. A 404 for an unknown subject or
 * schema id is {@link #isNotFound()}.
 */
public class SchemaRegistryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final int errorCode;

  public SchemaRegistryException(String message, int status, int errorCode, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
  }

  /** The HTTP status of the last response, or {@code -1} when no response was received. */
  public int status() {
    return status;
  }

  /**
   * The registry's {@code error_code} (e.g. 40401 subject not found, 40403 schema not found, 409
   * incompatible schema, 42201 invalid schema), or {@code -1} when the body carried none.
   */
  public int errorCode() {
    return errorCode;
  }

  public boolean isNotFound() {
    return status == 404;
  }

  /** True when the registry was unreachable or answered 408, 429 or 5xx (worth trying later). */
  public boolean isTransient() {
    return status == -1 || RegistryHttp.retryable(status);
  }
}
