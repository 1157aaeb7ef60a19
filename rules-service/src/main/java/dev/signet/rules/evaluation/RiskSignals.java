package dev.signet.rules.evaluation;

import java.time.Instant;

/**
 * The port through which conditions read what the event stream has taught about a user. The
 * evaluator asks each question at most once per evaluation.
 */
public interface RiskSignals {

  /** Whether this device was seen for this user in an earlier tracked action. */
  boolean deviceSeenBefore(String userId, String deviceId, String currentEventId);

  /** Actions of this code tracked by the user since {@code since}, the current one excluded. */
  long actionsSince(String userId, String actionCode, Instant since, String currentEventId);

  /** Rejected verification codes of the user's challenges since {@code since}. */
  long failedVerificationsSince(String userId, Instant since);

  /**
   * SMS to the user that could not be delivered since {@code since}: the dispatcher gave up, or a
   * final delivery receipt said failed, expired or rejected.
   */
  long failedDeliveriesSince(String userId, Instant since);
}
