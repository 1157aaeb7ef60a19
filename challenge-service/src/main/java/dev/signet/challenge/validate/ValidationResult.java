package dev.signet.challenge.validate;

import java.time.Instant;

/**
 * Answer of {@code /v1/validate}: either the action the token refers to with its current state, or
 * a refusal with the reason text for the caller.
 */
sealed interface ValidationResult {

  /** The state that makes a token prove a successful challenge. */
  String CHALLENGE_SUCCEEDED = "CHALLENGE_SUCCEEDED";

  Body toBody();

  /**
   * The JSON answer; absent members are left out ({@code error} only on a refusal, the action's
   * members only on a genuine token).
   */
  record Body(
      boolean isValid,
      String state,
      String stateUpdatedAt,
      String userId,
      String actionCode,
      String action,
      String idempotencyKey,
      String verificationMethod,
      String error) {}

  /** The token is genuine; {@code isValid} depends on the action's state. */
  record ActionState(
      String userId,
      String actionCode,
      String idempotencyKey,
      String state,
      Instant stateUpdatedAt,
      String verificationMethod)
      implements ValidationResult {

    @Override
    public Body toBody() {
      return new Body(
          CHALLENGE_SUCCEEDED.equals(state),
          state,
          stateUpdatedAt == null ? null : stateUpdatedAt.toString(),
          userId,
          actionCode,
          actionCode,
          idempotencyKey,
          verificationMethod,
          null);
    }
  }

  /** The token proves nothing, for the reason in {@code error}. */
  record Invalid(String error) implements ValidationResult {

    @Override
    public Body toBody() {
      return new Body(false, null, null, null, null, null, null, null, error);
    }
  }
}
