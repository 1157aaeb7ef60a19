package dev.signet.challenge.action;

import java.time.Instant;
import java.util.List;

/**
 * A tracked action: one per user, action code and idempotency key.
 *
 * @param userId the user
 * @param actionCode the action code ({@code ^[a-zA-Z0-9_-]{1,64}$})
 * @param idempotencyKey the attempt; with the user and the code it identifies the action
 * @param state the current state; null only while the decision is awaited (never reported)
 * @param createdAt when it was tracked
 * @param updatedAt when it last changed
 * @param stateUpdatedAt when its state last changed
 * @param verificationMethod method of the challenge that resolved it (e.g. SMS), or null
 * @param rules the rules behind its first state (the decision's rules, or the fallback)
 * @param ipAddress client IP address given at track time, or null
 * @param userAgent client user agent given at track time, or null
 * @param deviceId device id given at track time, or null
 * @param scope the scopes requested for its client token, space-separated (may be empty)
 * @param isEnrolled whether the user had an authenticator when it was tracked
 * @param output what the rules decided (its first state and how), null while deciding and for
 *     actions stored before it was recorded
 * @param verifiedByAuthenticatorId the authenticator whose code completed its challenge, or null
 */
public record Action(
    String userId,
    String actionCode,
    String idempotencyKey,
    ActionState state,
    Instant createdAt,
    Instant updatedAt,
    Instant stateUpdatedAt,
    String verificationMethod,
    List<ActionRule> rules,
    String ipAddress,
    String userAgent,
    String deviceId,
    String scope,
    boolean isEnrolled,
    ActionOutput output,
    String verifiedByAuthenticatorId) {

  /** Rule id that names the fallback applied when no decision arrived in time. */
  public static final String FALLBACK_RULE_ID = "signet-decision-timeout";

  public Action {
    rules = rules == null ? List.of() : List.copyOf(rules);
    scope = scope == null ? "" : scope;
  }

  /** The ids of {@link #rules()}, in order. */
  public List<String> ruleIds() {
    return rules.stream().map(ActionRule::ruleId).toList();
  }

  /** Whether the decision is still awaited. */
  public boolean deciding() {
    return state == null;
  }
}
