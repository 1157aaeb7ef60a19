package dev.signet.rules.evaluation;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The risk signals a rule set can read for one action, found by a dry pass of the evaluator over
 * every enabled rule ({@link RuleEvaluator#plan}): every leaf is evaluated in that pass
 * (combinators do not short-circuit), so every question the real evaluation may ask is recorded.
 * The caller fetches the answers all at once, in parallel, instead of one round trip after the
 * other, and evaluates against {@link #answered}.
 */
public final class SignalPlan implements RiskSignals {

  /** One question to the signal store. */
  public sealed interface Query permits DeviceSeen, ActionsSince, FailuresSince, DeliveriesSince {}

  public record DeviceSeen(String userId, String deviceId, String currentEventId)
      implements Query {}

  public record ActionsSince(String userId, String actionCode, Instant since, String currentEventId)
      implements Query {}

  public record FailuresSince(String userId, Instant since) implements Query {}

  public record DeliveriesSince(String userId, Instant since) implements Query {}

  private final Map<Query, Object> queries = new LinkedHashMap<>();

  /** The questions recorded, in the order they were first asked. */
  public Set<Query> queries() {
    return queries.keySet();
  }

  @Override
  public boolean deviceSeenBefore(String userId, String deviceId, String currentEventId) {
    queries.put(new DeviceSeen(userId, deviceId, currentEventId), Boolean.FALSE);
    return false;
  }

  @Override
  public long actionsSince(String userId, String actionCode, Instant since, String currentEventId) {
    queries.put(new ActionsSince(userId, actionCode, since, currentEventId), 0L);
    return 0;
  }

  @Override
  public long failedVerificationsSince(String userId, Instant since) {
    queries.put(new FailuresSince(userId, since), 0L);
    return 0;
  }

  @Override
  public long failedDeliveriesSince(String userId, Instant since) {
    queries.put(new DeliveriesSince(userId, since), 0L);
    return 0;
  }

  /**
   * Signals answered from {@code answers} (by query), asking {@code fallback} for anything the plan
   * did not foresee, so a wrong plan costs a round trip, never a wrong answer.
   */
  public static RiskSignals answered(Map<Query, Object> answers, RiskSignals fallback) {
    return new RiskSignals() {
      @Override
      public boolean deviceSeenBefore(String userId, String deviceId, String currentEventId) {
        Object a = answers.get(new DeviceSeen(userId, deviceId, currentEventId));
        return a != null
            ? (Boolean) a
            : fallback.deviceSeenBefore(userId, deviceId, currentEventId);
      }

      @Override
      public long actionsSince(
          String userId, String actionCode, Instant since, String currentEventId) {
        Object a = answers.get(new ActionsSince(userId, actionCode, since, currentEventId));
        return a != null
            ? (Long) a
            : fallback.actionsSince(userId, actionCode, since, currentEventId);
      }

      @Override
      public long failedVerificationsSince(String userId, Instant since) {
        Object a = answers.get(new FailuresSince(userId, since));
        return a != null ? (Long) a : fallback.failedVerificationsSince(userId, since);
      }

      @Override
      public long failedDeliveriesSince(String userId, Instant since) {
        Object a = answers.get(new DeliveriesSince(userId, since));
        return a != null ? (Long) a : fallback.failedDeliveriesSince(userId, since);
      }
    };
  }
}
