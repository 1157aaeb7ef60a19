package dev.signet.sms.domain;

/**
 * Why a send attempt failed; the names match the {@code SmsFailureReason} symbols of the dispatch
 * failed event. UNKNOWN also marks an attempt whose outcome was lost (a stale claim: the dispatcher
 * stopped between claim and outcome).
 */
public enum FailureReason {
  UNKNOWN,
  THROTTLED,
  PROVIDER_ERROR,
  TIMEOUT,
  CIRCUIT_OPEN,
  DEADLINE_EXCEEDED,
  INVALID_NUMBER,
  BARRED,
  PARTNER_QUOTA_EXCEEDED,
  REJECTED,
  CHALLENGE_EXPIRED,
  SEALED_CODE_INVALID,
  CONFIGURATION,
  /**
   * The sealed code does not open for the event's challenge, attempt, number, channel and expiry:
   * the event was forged or altered (a security event, never a delivery problem).
   */
  TAMPERED,
  /**
   * Only for a fallback that is not sent: the last fallback the attempt may have was not delivered
   * either ({@code signet.sms.fallback.max-per-attempt} reached).
   */
  FALLBACKS_EXHAUSTED
}
