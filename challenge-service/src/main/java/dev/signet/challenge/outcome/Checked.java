package dev.signet.challenge.outcome;

import java.util.function.Function;

/**
 * The result of checking input: the accepted value or the refusal, both as values.
 *
 * @param <T> the accepted value's type
 */
public sealed interface Checked<T> {

  /** The input was accepted as {@code value}. */
  record Accepted<T>(T value) implements Checked<T> {}

  /** The input was refused. */
  record Rejected<T>(Refusal refusal) implements Checked<T> {}

  static <T> Checked<T> accepted(T value) {
    return new Accepted<>(value);
  }

  static <T> Checked<T> rejected(Refusal refusal) {
    return new Rejected<>(refusal);
  }

  static <T> Checked<T> invalid(String description) {
    return new Rejected<>(new Refusal.InvalidRequest(description));
  }

  default boolean isAccepted() {
    return this instanceof Accepted<T>;
  }

  default <U> Checked<U> map(Function<T, U> mapper) {
    if (this instanceof Accepted<T> accepted) {
      return new Accepted<>(mapper.apply(accepted.value()));
    }
    return new Rejected<>(((Rejected<T>) this).refusal());
  }

  /** The accepted value, or the refusal raised as {@link Refused} for the web layer to answer. */
  default T orElseThrow() {
    if (this instanceof Accepted<T> accepted) {
      return accepted.value();
    }
    throw ((Rejected<T>) this).refusal().asError();
  }
}
