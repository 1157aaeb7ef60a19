package dev.signet.challenge.session;

import dev.signet.challenge.session.Session.RevocationReason;
import dev.signet.events.Topics;
import dev.signet.events.session.SessionCreated;
import dev.signet.events.session.SessionRefreshed;
import dev.signet.events.session.SessionReuseDetected;
import dev.signet.events.session.SessionRevocationReason;
import dev.signet.events.session.SessionRevoked;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * The {@code auth.session.*.v1} events, wrapped for a session's outbox. Keyed by the user, so a
 * user's session events keep their order. They name sessions and token ids, never a token.
 */
final class SessionEvents {

  private final Outbox outbox;

  SessionEvents(Outbox outbox) {
    this.outbox = outbox;
  }

  OutboxEvent created(Session s, Instant accessExpiresAt, String correlationId, Instant now) {
    String eventId = UUID.randomUUID().toString();
    SessionCreated event =
        SessionCreated.newBuilder()
            .setEventId(eventId)
            .setOccurredAt(now)
            .setCorrelationId(correlationId)
            .setUserId(s.userId())
            .setSessionId(s.sessionId())
            .setClientId(s.clientId())
            .setActionCode(s.actionCode())
            .setIdempotencyKey(s.idempotencyKey())
            .setVerificationMethod(s.verificationMethod() == null ? "" : s.verificationMethod())
            .setSourceTokenId(s.sourceTokenId())
            .setAccessTokenExpiresAt(accessExpiresAt)
            .setSessionExpiresAt(s.expiresAt())
            .build();
    return outbox.wrap(eventId, Topics.SESSION_CREATED.name(), s.userId(), event);
  }

  OutboxEvent refreshed(
      Session s, int generation, Instant accessExpiresAt, String correlationId, Instant now) {
    String eventId = UUID.randomUUID().toString();
    SessionRefreshed event =
        SessionRefreshed.newBuilder()
            .setEventId(eventId)
            .setOccurredAt(now)
            .setCorrelationId(correlationId)
            .setUserId(s.userId())
            .setSessionId(s.sessionId())
            .setClientId(s.clientId())
            .setGeneration(generation)
            .setAccessTokenExpiresAt(accessExpiresAt)
            .build();
    return outbox.wrap(eventId, Topics.SESSION_REFRESHED.name(), s.userId(), event);
  }

  OutboxEvent revoked(Session s, RevocationReason reason, String correlationId, Instant now) {
    String eventId = UUID.randomUUID().toString();
    SessionRevoked event =
        SessionRevoked.newBuilder()
            .setEventId(eventId)
            .setOccurredAt(now)
            .setCorrelationId(correlationId)
            .setUserId(s.userId())
            .setSessionId(s.sessionId())
            .setClientId(s.clientId())
            .setReason(SessionRevocationReason.valueOf(reason.name()))
            .build();
    return outbox.wrap(eventId, Topics.SESSION_REVOKED.name(), s.userId(), event);
  }

  OutboxEvent reuseDetected(Session s, int reusedGeneration, String correlationId, Instant now) {
    String eventId = UUID.randomUUID().toString();
    SessionReuseDetected event =
        SessionReuseDetected.newBuilder()
            .setEventId(eventId)
            .setOccurredAt(now)
            .setCorrelationId(correlationId)
            .setUserId(s.userId())
            .setSessionId(s.sessionId())
            .setClientId(s.clientId())
            .setReusedGeneration(reusedGeneration)
            .setCurrentGeneration(s.generation())
            .setAlreadyRevoked(s.revoked())
            .build();
    return outbox.wrap(eventId, Topics.SESSION_REUSE_DETECTED.name(), s.userId(), event);
  }
}
