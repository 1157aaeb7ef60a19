package dev.signet.challenge.action;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A tracked action: one per user, action code and idempotency key. Its rules are pure: given the
 * time, it decides its first state, whether a move applies and what the action looks like after it;
 * the {@link ActionStore} then writes the move only while the stored action is still in the state
 * the move started from.
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
 * @param decision the decision request of a tracked action, or null (a claimed challenge's)
 * @param page the hosted page's part of the action: where it returns, when it was first opened
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
    String verifiedByAuthenticatorId,
    DecisionRequest decision,
    HostedPageVisit page) {

  /** Rule id that names the fallback applied when no decision arrived in time. */
  public static final String FALLBACK_RULE_ID = "signet-decision-timeout";

  /** Extra wait, beyond the deadline, before a reader applies the fallback to a stuck action. */
  static final Duration STALE_GRACE = Duration.ofMillis(500);

  /**
   * The decision request of a tracked action.
   *
   * @param eventId the id of its {@code ActionTracked} event, which the answer names
   * @param deadline when the fallback applies if no decision came
   */
  public record DecisionRequest(String eventId, Instant deadline) {}

  /**
   * The hosted page's part of an action.
   *
   * @param redirectUrl where the page returns in redirect mode (checked at track), or null
   * @param openedAt when the page was first opened for this attempt, or null
   */
  public record HostedPageVisit(String redirectUrl, Instant openedAt) {
    static final HostedPageVisit NONE = new HostedPageVisit(null, null);
  }

  public Action {
    rules = rules == null ? List.of() : List.copyOf(rules);
    scope = scope == null ? "" : scope;
    page = page == null ? HostedPageVisit.NONE : page;
  }

  /** A new tracked action awaiting its decision. */
  static Action deciding(
      TrackCommand command,
      String idempotencyKey,
      boolean isEnrolled,
      Instant now,
      DecisionRequest decision) {
    return new Action(
        command.userId(),
        command.actionCode(),
        idempotencyKey,
        null,
        now,
        now,
        now,
        null,
        List.of(),
        command.ipAddress(),
        command.userAgent(),
        command.deviceId(),
        command.scope(),
        isEnrolled,
        null,
        null,
        decision,
        new HostedPageVisit(command.redirectUrl(), null));
  }

  /** The store's key of this action. */
  public String id() {
    return ActionStore.id(userId, actionCode, idempotencyKey);
  }

  /** The ids of {@link #rules()}, in order. */
  public List<String> ruleIds() {
    return rules.stream().map(ActionRule::ruleId).toList();
  }

  /** Whether the decision is still awaited. */
  public boolean deciding() {
    return state == null;
  }

  /**
   * Whether the decision is awaited past its deadline and grace: stuck, its waiter gone, so whoever
   * reads it applies the fallback.
   */
  boolean stale(Instant now) {
    return decision == null
        || decision.deadline() == null
        || now.isAfter(decision.deadline().plus(STALE_GRACE));
  }

  /** Whether the hosted page was opened for this attempt. */
  public boolean openedInHostedPage() {
    return page.openedAt() != null;
  }

  /**
   * Where a client challenge was completed. The hosted page says so in a header, which anyone
   * holding the token could send, so the pre-built UI counts only when the page was opened.
   */
  CompletedVia via(CompletedVia claimed) {
    if (claimed != CompletedVia.PREBUILT_UI) {
      return claimed;
    }
    return openedInHostedPage() ? CompletedVia.PREBUILT_UI : CompletedVia.CLIENT_API;
  }

  /**
   * The first state from rules-service's decision, or from {@code fallback} when none (or one this
   * version does not know) came in time. A challenge asked of a user without an authenticator
   * becomes ALLOW: the SDKs expect ALLOW with isEnrolled false, and enrolment with the token.
   */
  FirstState firstState(Optional<Decision> answer, ActionState fallback, Duration decisionTimeout) {
    if (answer.isEmpty() || answer.get().outcome() == Decision.Outcome.UNKNOWN) {
      ActionRule rule =
          new ActionRule(
              FALLBACK_RULE_ID,
              "Decision timeout fallback",
              "No decision from rules-service within "
                  + decisionTimeout.toMillis()
                  + " ms: the action's fallback "
                  + fallback
                  + " applied.");
      StateChangeCause cause = StateChangeCause.DECISION_TIMEOUT_FALLBACK;
      return new FirstState(
          fallback, List.of(rule), cause, new ActionOutput(fallback, null, cause.name()));
    }
    Decision decided = answer.get();
    ActionState first =
        switch (decided.outcome()) {
          case ALLOW -> ActionState.ALLOW;
          case BLOCK -> ActionState.BLOCK;
          case REVIEW -> ActionState.REVIEW_REQUIRED;
          default -> isEnrolled ? ActionState.CHALLENGE_REQUIRED : ActionState.ALLOW;
        };
    StateChangeCause cause =
        first == ActionState.ALLOW && decided.outcome() == Decision.Outcome.CHALLENGE
            ? StateChangeCause.NOT_ENROLLED
            : StateChangeCause.DECISION;
    return new FirstState(
        first,
        decided.rules(),
        cause,
        new ActionOutput(first, decided.outcome().name(), cause.name()));
  }

  /** Gives an action awaiting its decision its first state; refused once it has one. */
  Transition decide(FirstState first, Instant now) {
    if (!deciding()) {
      return new Transition.Refused(Transition.Reason.STATE_CHANGED, Optional.of(this));
    }
    Action next =
        new Action(
            userId,
            actionCode,
            idempotencyKey,
            first.state(),
            createdAt,
            now,
            now,
            verificationMethod,
            first.rules(),
            ipAddress,
            userAgent,
            deviceId,
            scope,
            isEnrolled,
            first.output(),
            verifiedByAuthenticatorId,
            decision,
            page);
    return new Transition.Moved(next, null);
  }

  /**
   * Applies a requested move: refused when the rules never allow it ({@code NOT_ALLOWED}) or the
   * action is not in the state the caller saw ({@code STATE_CHANGED}).
   */
  Transition move(ActionChange change, Instant now) {
    if (!change.allowed()) {
      return new Transition.Refused(Transition.Reason.NOT_ALLOWED, Optional.of(this));
    }
    if (state != change.from()) {
      return new Transition.Refused(Transition.Reason.STATE_CHANGED, Optional.of(this));
    }
    Action next =
        new Action(
            userId,
            actionCode,
            idempotencyKey,
            change.to(),
            createdAt,
            now,
            now,
            change.verificationMethod() != null ? change.verificationMethod() : verificationMethod,
            rules,
            ipAddress,
            userAgent,
            deviceId,
            scope,
            isEnrolled,
            output,
            change.verifiedByAuthenticatorId() != null
                ? change.verifiedByAuthenticatorId()
                : verifiedByAuthenticatorId,
            decision,
            page);
    return new Transition.Moved(next, state);
  }
}
