package dev.signet.challenge.action;

import dev.signet.events.action.ActionStateChanged;
import java.time.Instant;
import java.util.UUID;

/** The state-changed event of an action (topic {@code auth.action.state-changed.v1}, key user). */
final class ActionEvents {

  private ActionEvents() {}

  static ActionStateChanged stateChanged(
      Action action,
      ActionState previous,
      StateChangeCause cause,
      String challengeId,
      String reviewedBy,
      String credentialKind,
      String correlationId,
      Instant now,
      CompletedVia via) {
    return ActionStateChanged.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(now)
        .setCorrelationId(correlationId == null ? "" : correlationId)
        .setUserId(action.userId())
        .setActionCode(action.actionCode())
        .setIdempotencyKey(action.idempotencyKey())
        .setState(dev.signet.events.action.ActionState.valueOf(action.state().name()))
        .setPreviousState(
            previous == null ? null : dev.signet.events.action.ActionState.valueOf(previous.name()))
        .setCause(dev.signet.events.action.StateChangeCause.valueOf(cause.name()))
        .setRuleIds(action.ruleIds())
        .setVerificationMethod(action.verificationMethod())
        .setChallengeId(challengeId)
        .setReviewedBy(reviewedBy)
        .setCredentialKind(credentialKind)
        .setIpAddress(action.ipAddress())
        .setDeviceId(action.deviceId())
        .setVia(via == null ? null : dev.signet.events.action.CompletedVia.valueOf(via.name()))
        .build();
  }
}
