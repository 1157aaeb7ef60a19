package dev.signet.rules.evaluation;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One evaluation: the action, the instant it is evaluated at, and the risk signals, each asked at
 * most once. Every signal read is remembered by name so the decision can report what it looked at.
 */
final class EvaluationContext {

  private final ActionAttributes action;
  private final Instant now;
  private final RiskSignals signals;
  private final Map<String, Object> cache = new LinkedHashMap<>();

  EvaluationContext(ActionAttributes action, Instant now, RiskSignals signals) {
    this.action = action;
    this.now = now;
    this.signals = signals;
  }

  ActionAttributes action() {
    return action;
  }

  Instant now() {
    return now;
  }

  boolean newDevice() {
    return (Boolean)
        cache.computeIfAbsent(
            "newDevice",
            k ->
                action.deviceId() == null
                    || !signals.deviceSeenBefore(
                        action.userId(), action.deviceId(), action.eventId()));
  }

  /** Actions of this code by the user within the window, the current one included. */
  long actions(Duration window) {
    return (Long)
        cache.computeIfAbsent(
            "actions." + window,
            k ->
                signals.actionsSince(
                        action.userId(), action.actionCode(), now.minus(window), action.eventId())
                    + 1);
  }

  long failedVerifications(Duration window) {
    return (Long)
        cache.computeIfAbsent(
            "failedVerifications." + window,
            k -> signals.failedVerificationsSince(action.userId(), now.minus(window)));
  }

  long failedDeliveries(Duration window) {
    return (Long)
        cache.computeIfAbsent(
            "failedDeliveries." + window,
            k -> signals.failedDeliveriesSince(action.userId(), now.minus(window)));
  }

  /** The signals read so far, by name (for explanations; no personal data). */
  Map<String, String> signalsRead() {
    Map<String, String> out = new TreeMap<>();
    cache.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }
}
