package dev.signet.challenge.action;

/**
 * A requested move of an action's state, as the caller saw it.
 *
 * @param from the state the caller saw (the move applies only while the action is in it)
 * @param to the new state
 * @param manual whether the server API sets it, which may set any state of the enum (as
 *     Authsignal's {@code updateAction} does); otherwise {@code from.canMoveTo(to)} must hold
 * @param cause what moves it (goes into the event)
 * @param verificationMethod the method of the challenge that resolved it (e.g. SMS), or null to
 *     keep the stored one
 * @param challengeId the challenge that resolved it, or null
 * @param reviewedBy who resolved a review ({@code api}, an operator name), or null
 * @param credentialKind the kind of credential a manual change used, or null
 * @param verifiedByAuthenticatorId the authenticator whose code resolved it, or null
 * @param via where the client challenge that resolved it was completed, as claimed, or null
 */
public record ActionChange(
    ActionState from,
    ActionState to,
    boolean manual,
    StateChangeCause cause,
    String verificationMethod,
    String challengeId,
    String reviewedBy,
    String credentialKind,
    String verifiedByAuthenticatorId,
    CompletedVia via) {

  /** The reviewer a manual change through the server API records. */
  static final String API_REVIEWER = "api";

  /**
   * A change through the server API: cause {@code REVIEW} when it resolves a review, {@code MANUAL}
   * otherwise, with the kind of credential used.
   */
  public static ActionChange manual(ActionState from, ActionState to, String credentialKind) {
    boolean review = from == ActionState.REVIEW_REQUIRED && from.canMoveTo(to);
    return new ActionChange(
        from,
        to,
        true,
        review ? StateChangeCause.REVIEW : StateChangeCause.MANUAL,
        null,
        null,
        API_REVIEWER,
        credentialKind,
        null,
        null);
  }

  /** A move of the lifecycle made by a client challenge's outcome. */
  public static ActionChange challengeOutcome(
      ActionState to,
      StateChangeCause cause,
      String verificationMethod,
      String challengeId,
      String verifiedByAuthenticatorId,
      CompletedVia via) {
    return new ActionChange(
        ActionState.CHALLENGE_REQUIRED,
        to,
        false,
        cause,
        verificationMethod,
        challengeId,
        null,
        null,
        verifiedByAuthenticatorId,
        via);
  }

  /** Whether the rules allow this move at all, whatever state the action is in now. */
  public boolean allowed() {
    return from != null && to != null && (manual || from.canMoveTo(to));
  }
}
