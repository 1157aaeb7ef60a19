package dev.signet.challenge.action;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON bodies of the action endpoints, with the field names the official SDKs read. */
final class ActionViews {

  static final List<String> ALLOWED_METHODS = List.of("SMS");

  private ActionViews() {}

  /** Response of track (SPEC 4.1). */
  static Map<String, Object> tracked(Action action, String token, String url) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("idempotencyKey", action.idempotencyKey());
    body.put("state", action.state().name());
    body.put("token", token);
    if (url != null) {
      body.put("url", url);
    }
    body.put("isEnrolled", action.isEnrolled());
    body.put("enrolledVerificationMethods", action.isEnrolled() ? ALLOWED_METHODS : List.of());
    body.put("allowedVerificationMethods", ALLOWED_METHODS);
    if (action.isEnrolled()) {
      body.put("defaultVerificationMethod", "SMS");
    }
    body.put("ruleIds", action.ruleIds());
    return body;
  }

  /** Response of {@code GET} (and {@code PATCH}) of one action (SPEC 4.1). */
  static Map<String, Object> action(Action action) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("state", action.state().name());
    body.put("createdAt", iso(action.createdAt()));
    body.put("stateUpdatedAt", iso(action.stateUpdatedAt()));
    if (action.verificationMethod() != null) {
      body.put("verificationMethod", action.verificationMethod());
    }
    body.put(
        "rules",
        action.rules().stream()
            .map(
                rule -> {
                  Map<String, Object> r = new LinkedHashMap<>();
                  r.put("ruleId", rule.ruleId());
                  r.put("name", rule.name());
                  if (rule.description() != null) {
                    r.put("description", rule.description());
                  }
                  return r;
                })
            .toList());
    body.put("ruleIds", action.ruleIds());
    if (action.output() != null) {
      body.put("output", output(action));
    }
    return body;
  }

  /**
   * The rules' output: the first state the decision gave, rules-service's outcome when it decided
   * in time, how the state came about and the rules behind it. It stays as decided when the state
   * moves on.
   */
  static Map<String, Object> output(Action action) {
    ActionOutput output = action.output();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("state", output.state().name());
    if (output.decision() != null) {
      body.put("decision", output.decision());
    }
    body.put("decidedBy", output.decidedBy());
    body.put("ruleIds", action.ruleIds());
    return body;
  }

  /** An entry of {@code GET /v1/users/{userId}/actions} (SPEC 4.1). */
  static Map<String, Object> listed(Action action) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("actionCode", action.actionCode());
    body.put("idempotencyKey", action.idempotencyKey());
    body.put("createdAt", iso(action.createdAt()));
    body.put("updatedAt", iso(action.updatedAt()));
    body.put("state", action.state().name());
    body.put("stateUpdatedAt", iso(action.stateUpdatedAt()));
    if (action.verificationMethod() != null) {
      body.put("verificationMethod", action.verificationMethod());
    }
    if (action.verifiedByAuthenticatorId() != null) {
      body.put("verifiedByAuthenticatorId", action.verifiedByAuthenticatorId());
    }
    if (action.ipAddress() != null) {
      body.put("ipAddress", action.ipAddress());
    }
    if (action.userAgent() != null) {
      body.put("userAgent", action.userAgent());
    }
    return body;
  }

  private static String iso(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
