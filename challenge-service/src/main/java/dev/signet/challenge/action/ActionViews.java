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
    body.put("url", url);
    body.put("isEnrolled", action.isEnrolled());
    body.put("enrolledVerificationMethods", action.isEnrolled() ? ALLOWED_METHODS : List.of());
    body.put("allowedVerificationMethods", ALLOWED_METHODS);
    body.put("defaultVerificationMethod", action.isEnrolled() ? "SMS" : null);
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
