package dev.signet.platform.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;
import io.micrometer.observation.ObservationHandler;

/**
 * Replaces an observation's error by one that names only its type before the tracing handler turns
 * it into span data (status description, exception event): an exception message may quote a phone
 * number or a code. As a handler registered ahead of the tracing handlers it sees errors reported
 * as they happen; as a filter, which runs before any handler hears of the stop (handlers hear of it
 * in reverse order), those set on the context just before the observation stops.
 */
public final class ErrorRedaction
    implements ObservationHandler<Observation.Context>, ObservationFilter {

  @Override
  public void onError(Observation.Context context) {
    redact(context);
  }

  @Override
  public Observation.Context map(Observation.Context context) {
    redact(context);
    return context;
  }

  @Override
  public boolean supportsContext(Observation.Context context) {
    return true;
  }

  private static void redact(Observation.Context context) {
    Throwable error = context.getError();
    if (error != null && !(error instanceof Redacted)) {
      context.setError(new Redacted(error));
    }
  }

  /** An error reduced to its type's name; no message, no cause, no stack. */
  static final class Redacted extends RuntimeException {

    Redacted(Throwable original) {
      super(original.getClass().getSimpleName(), null, false, false);
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }
}
