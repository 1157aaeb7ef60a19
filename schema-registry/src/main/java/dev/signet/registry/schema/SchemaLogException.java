package dev.signet.registry.schema;

/** The store could not take a write: Kafka failed, or the write was not read back in time. */
public class SchemaLogException extends RuntimeException {

  private final boolean timeout;

  public SchemaLogException(String message, Throwable cause, boolean timeout) {
    super(message, cause);
    this.timeout = timeout;
  }

  public boolean isTimeout() {
    return timeout;
  }
}
