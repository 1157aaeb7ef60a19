package dev.signet.challenge.challenge.domain;

/** Outcome of checking a code: expected outcomes are values, not exceptions. */
public sealed interface VerificationResult {

  /** The code was right; the challenge is now verified. */
  record Verified(Challenge challenge) implements VerificationResult {}

  /** The code was wrong, expired, already used, or the attempts are exhausted. */
  record Rejected(FailureReason reason) implements VerificationResult {}

  /** Failure reasons with the exact strings of the API. */
  enum FailureReason {
    CODE_INVALID_OR_EXPIRED,
    MAX_ATTEMPTS_EXCEEDED
  }
}
