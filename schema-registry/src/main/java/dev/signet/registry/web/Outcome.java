package dev.signet.registry.web;

import dev.signet.registry.schema.RegistryError;
import dev.signet.registry.schema.Result;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/** A response body or a Confluent error, the web view of a {@link Result}. */
record Outcome(JsonNode body, RegistryError error) {

  static Outcome of(JsonNode body) {
    return new Outcome(body, null);
  }

  static Outcome failed(RegistryError error) {
    return new Outcome(null, error);
  }

  static <T> Outcome from(Result<T> result, Function<? super T, ? extends JsonNode> body) {
    if (result instanceof Result.Ok<T> ok) {
      return of(body.apply(ok.value()));
    }
    return failed(((Result.Failed<T>) result).error());
  }
}
