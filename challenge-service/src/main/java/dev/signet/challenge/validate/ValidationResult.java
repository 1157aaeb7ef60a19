package dev.signet.challenge.validate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answer of {@code /v1/validate}: either the action the token refers to with its current state, or
 * a refusal with the reason text for the caller.
 */
sealed interface ValidationResult {

  /** The state that makes a token prove a successful challenge. */
  String CHALLENGE_SUCCEEDED = "CHALLENGE_SUCCEEDED";

  Map<String, Object> toBody();

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
    public Map<String, Object> toBody() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("isValid", CHALLENGE_SUCCEEDED.equals(state));
      body.put("state", state);
      if (stateUpdatedAt != null) {
        body.put("stateUpdatedAt", stateUpdatedAt.toString());
      }
      body.put("userId", userId);
      body.put("actionCode", actionCode);
      body.put("action", actionCode);
      body.put("idempotencyKey", idempotencyKey);
      if (verificationMethod != null) {
        body.put("verificationMethod", verificationMethod);
      }
      return body;
    }
  }

  /** The token proves nothing, for the reason in {@code error}. */
  record Invalid(String error) implements ValidationResult {

    @Override
    public Map<String, Object> toBody() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("isValid", false);
      body.put("error", error);
      return body;
    }
  }
}
