package dev.signet.rules.evaluation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** In-memory risk history for evaluator tests: devices, timed actions and timed failures. */
final class FakeSignals implements RiskSignals {

  record Action(String userId, String actionCode, Instant at, String eventId) {}

  final Set<String> devices = new HashSet<>();
  final List<Action> actions = new ArrayList<>();
  final List<Instant> failures = new ArrayList<>();
  final List<Instant> failedDeliveries = new ArrayList<>();
  int reads;

  FakeSignals device(String userId, String deviceId) {
    devices.add(userId + "|" + deviceId);
    return this;
  }

  FakeSignals action(String userId, String actionCode, Instant at) {
    actions.add(new Action(userId, actionCode, at, "e-" + actions.size()));
    return this;
  }

  FakeSignals failure(Instant at) {
    failures.add(at);
    return this;
  }

  FakeSignals failedDelivery(Instant at) {
    failedDeliveries.add(at);
    return this;
  }

  @Override
  public long failedDeliveriesSince(String userId, Instant since) {
    reads++;
    return failedDeliveries.stream().filter(at -> !at.isBefore(since)).count();
  }

  @Override
  public boolean deviceSeenBefore(String userId, String deviceId, String currentEventId) {
    reads++;
    return devices.contains(userId + "|" + deviceId);
  }

  @Override
  public long actionsSince(String userId, String actionCode, Instant since, String currentEventId) {
    reads++;
    return actions.stream()
        .filter(a -> a.userId.equals(userId) && a.actionCode.equals(actionCode))
        .filter(a -> !a.at.isBefore(since) && !a.eventId.equals(currentEventId))
        .count();
  }

  @Override
  public long failedVerificationsSince(String userId, Instant since) {
    reads++;
    return failures.stream().filter(at -> !at.isBefore(since)).count();
  }
}
