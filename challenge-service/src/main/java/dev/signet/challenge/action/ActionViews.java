package dev.signet.challenge.action;

import java.time.Instant;
import java.util.List;

/**
 * JSON bodies of the action endpoints, with the field names the official SDKs read. Members left
 * {@code null} are absent from the JSON, as the SDK types mark them optional.
 */
final class ActionViews {

  static final List<String> ALLOWED_METHODS = List.of("SMS");

  private ActionViews() {}

  /** Response of track. */
  record Tracked(
      String idempotencyKey,
      String state,
      String token,
      String url,
      boolean isEnrolled,
      List<String> enrolledVerificationMethods,
      List<String> allowedVerificationMethods,
      String defaultVerificationMethod,
      List<String> ruleIds) {}

  /** Response of {@code GET} (and {@code PATCH}) of one action. */
  record ActionView(
      String state,
      String createdAt,
      String stateUpdatedAt,
      String verificationMethod,
      List<RuleView> rules,
      List<String> ruleIds,
      OutputView output) {}

  record RuleView(String ruleId, String name, String description) {}

  /**
   * The rules' output: the first state the decision gave, rules-service's outcome when it decided
   * in time, how the state came about and the rules behind it. It stays as decided when the state
   * moves on.
   */
  record OutputView(String state, String decision, String decidedBy, List<String> ruleIds) {}

  /** An entry of {@code GET /v1/users/{userId}/actions}. */
  record Listed(
      String actionCode,
      String idempotencyKey,
      String createdAt,
      String updatedAt,
      String state,
      String stateUpdatedAt,
      String verificationMethod,
      String verifiedByAuthenticatorId,
      String ipAddress,
      String userAgent) {}

  static Tracked tracked(Action action, String token, String url) {
    boolean enrolled = action.isEnrolled();
    return new Tracked(
        action.idempotencyKey(),
        action.state().name(),
        token,
        url,
        enrolled,
        enrolled ? ALLOWED_METHODS : List.of(),
        ALLOWED_METHODS,
        enrolled ? "SMS" : null,
        action.ruleIds());
  }

  static ActionView action(Action action) {
    return new ActionView(
        action.state().name(),
        iso(action.createdAt()),
        iso(action.stateUpdatedAt()),
        action.verificationMethod(),
        action.rules().stream()
            .map(rule -> new RuleView(rule.ruleId(), rule.name(), rule.description()))
            .toList(),
        action.ruleIds(),
        action.output() == null ? null : output(action));
  }

  static OutputView output(Action action) {
    ActionOutput output = action.output();
    return new OutputView(
        output.state().name(), output.decision(), output.decidedBy(), action.ruleIds());
  }

  static Listed listed(Action action) {
    return new Listed(
        action.actionCode(),
        action.idempotencyKey(),
        iso(action.createdAt()),
        iso(action.updatedAt()),
        action.state().name(),
        iso(action.stateUpdatedAt()),
        action.verificationMethod(),
        action.verifiedByAuthenticatorId(),
        action.ipAddress(),
        action.userAgent());
  }

  private static String iso(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
