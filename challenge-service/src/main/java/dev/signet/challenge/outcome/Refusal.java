package dev.signet.challenge.outcome;

/**
 * A request the domain refuses, as a value: what the caller did wrong or must wait for, with its
 * stable snake_case code and the documented description. Domain code returns refusals; the web
 * layer maps them to HTTP status and error body in one place, so no domain package knows HTTP.
 */
public sealed interface Refusal {

  /** The documented error code ({@code invalid_request}, {@code not_found}, ...). */
  String code();

  /** The documented, user-facing description. */
  String description();

  /** This refusal as the error signal that carries it through a reactive chain. */
  default Refused asError() {
    return new Refused(this);
  }

  /** The request cannot be served as it is (a bad field, a dead challenge, a policy refusal). */
  record InvalidRequest(String description) implements Refusal {
    @Override
    public String code() {
      return "invalid_request";
    }
  }

  /** What the request names does not exist. */
  record NotFound(String description) implements Refusal {
    @Override
    public String code() {
      return "not_found";
    }
  }

  /** A limit refused the request; it may succeed after {@code retryAfterSeconds}. */
  record TooManyRequests(String description, long retryAfterSeconds) implements Refusal {
    @Override
    public String code() {
      return "too_many_requests";
    }
  }

  static InvalidRequest invalid(String description) {
    return new InvalidRequest(description);
  }
}
