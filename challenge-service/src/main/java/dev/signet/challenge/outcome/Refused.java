package dev.signet.challenge.outcome;

/**
 * Carries a {@link Refusal} through a reactive chain or out of a parser to the one place that
 * answers it. No stack trace: a refusal is an expected outcome, not a bug.
 */
public final class Refused extends RuntimeException {

  private final transient Refusal refusal;

  public Refused(Refusal refusal) {
    super(refusal.description(), null, false, false);
    this.refusal = refusal;
  }

  public Refusal refusal() {
    return refusal;
  }

  /** Whether {@code failure} is a refusal of a request that cannot be served as it is. */
  public static boolean isInvalidRequest(Throwable failure) {
    return failure instanceof Refused refused
        && refused.refusal() instanceof Refusal.InvalidRequest;
  }
}
