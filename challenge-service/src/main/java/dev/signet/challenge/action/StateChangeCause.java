package dev.signet.challenge.action;

/** What moved an action, carried by its state-changed event ({@code cause}). */
public enum StateChangeCause {
  /** The rules-service decision. */
  DECISION,
  /** No decision arrived within the deadline: the configured fallback applied. */
  DECISION_TIMEOUT_FALLBACK,
  /** The rules asked for a challenge but the user has no authenticator: ALLOW. */
  NOT_ENROLLED,
  /** A code of a challenge for this action verified. */
  CHALLENGE_VERIFIED,
  /** A challenge for this action failed for good (attempts exhausted). */
  CHALLENGE_FAILED,
  /** A review outcome, through the server API or the dashboard. */
  REVIEW,
  /**
   * A state set through the server API outside the lifecycle (any state of the enum, as
   * Authsignal's {@code updateAction} allows); the event names the credential kind.
   */
  MANUAL
}
