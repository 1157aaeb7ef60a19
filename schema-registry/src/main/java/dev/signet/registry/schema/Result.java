package dev.signet.registry.schema;

/** Outcome of a registry operation: a value or one of Confluent's documented errors. */
public sealed interface Result<T> {

  /** The operation succeeded. */
  record Ok<T>(T value) implements Result<T> {}

  /** The operation was refused with a Confluent error. */
  record Failed<T>(RegistryError error) implements Result<T> {}

  static <T> Result<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Result<T> failed(RegistryError error) {
    return new Failed<>(error);
  }
}
