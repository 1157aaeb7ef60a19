package dev.signet.challenge.session;

import dev.signet.challenge.session.Session.RevocationReason;
import dev.signet.challenge.session.SessionStore.StoredRefreshToken;
import dev.signet.challenge.session.Sessions.Issued;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Refresh of a session: a refresh token is spent by exactly one refresh, which rotates it and the
 * access token; presenting a spent one, whether a thief's replay or the loser of a race, revokes
 * the whole session.
 */
@Component
class SessionRefreshes {

  private static final Logger log = LoggerFactory.getLogger(SessionRefreshes.class);

  private final SessionStore store;
  private final SessionAccess access;
  private final SessionEvents events;
  private final Outbox outbox;
  private final SessionProperties properties;
  private final Clock clock;
  private final RefreshTokens random;

  SessionRefreshes(
      SessionStore store,
      SessionAccess access,
      Outbox outbox,
      SessionProperties properties,
      Clock clock,
      SecureRandom random) {
    this.store = store;
    this.access = access;
    this.events = new SessionEvents(outbox);
    this.outbox = outbox;
    this.properties = properties;
    this.clock = clock;
    this.random = new RefreshTokens(random);
  }

  Mono<Issued> refresh(String refreshToken, String correlationId) {
    if (!RefreshTokens.wellFormed(refreshToken)) {
      return SessionAccess.invalid("The refresh token is invalid.");
    }
    Instant now = clock.instant();
    return store
        .spend(RefreshTokens.hash(refreshToken), now)
        .switchIfEmpty(SessionAccess.invalid("The refresh token is invalid."))
        .flatMap(
            stored ->
                stored.spent()
                    ? reuse(stored, correlationId, now)
                    : rotate(stored, correlationId, now));
  }

  /**
   * A spent refresh token came back: a stolen copy, or the loser of two refreshes racing with one
   * token. Either way the family is no longer trustworthy and the whole session is revoked.
   */
  private Mono<Issued> reuse(StoredRefreshToken stored, String correlationId, Instant now) {
    log.warn(
        "refresh token reused: revoking session sessionId={} userId={} generation={}",
        stored.sessionId(),
        stored.userId(),
        stored.generation());
    return store
        .find(stored.sessionId())
        .flatMap(
            session -> {
              if (session.revoked()) {
                OutboxEvent reuse =
                    events.reuseDetected(session, stored.generation(), correlationId, now);
                return store
                    .append(session.sessionId(), List.of(reuse))
                    .then(
                        outbox.publishInBackground(
                            SessionStore.SESSIONS, session.sessionId(), List.of(reuse)));
              }
              List<OutboxEvent> revoked =
                  List.of(
                      events.reuseDetected(session, stored.generation(), correlationId, now),
                      events.revoked(
                          session, RevocationReason.REFRESH_TOKEN_REUSED, correlationId, now));
              return store
                  .revoke(session.sessionId(), RevocationReason.REFRESH_TOKEN_REUSED, now, revoked)
                  .flatMap(
                      done ->
                          outbox.publishInBackground(
                              SessionStore.SESSIONS, session.sessionId(), revoked));
            })
        .then(
            SessionAccess.invalid(
                "The refresh token was already used: the session has been revoked as a"
                    + " precaution."));
  }

  private Mono<Issued> rotate(StoredRefreshToken stored, String correlationId, Instant now) {
    if (now.isAfter(stored.expiresAt())) {
      return SessionAccess.invalid("The refresh token has expired.");
    }
    return access
        .live(stored.sessionId(), stored.userId())
        .flatMap(
            session -> {
              if (session.generation() != stored.generation()) {
                return SessionAccess.invalid("The refresh token is invalid.");
              }
              int generation = session.generation() + 1;
              Instant issuedAt = now.truncatedTo(ChronoUnit.SECONDS);
              Instant accessExpiresAt =
                  SessionAccess.earliest(
                      issuedAt.plus(properties.accessTokenLifetime()), session.expiresAt());
              Instant refreshExpiresAt =
                  SessionAccess.earliest(
                      now.plus(properties.refreshTokenLifetime()), session.expiresAt());
              String accessTokenId = random.randomId(16);
              String refreshToken = random.next();
              List<OutboxEvent> refreshed =
                  List.of(
                      events.refreshed(session, generation, accessExpiresAt, correlationId, now));
              return store
                  .insertRefreshToken(
                      RefreshTokens.hash(refreshToken), session, generation, now, refreshExpiresAt)
                  .then(store.advance(session, accessTokenId, now, refreshed))
                  .switchIfEmpty(SessionAccess.invalid("The session has been revoked."))
                  .flatMap(
                      advanced ->
                          outbox
                              .publishInBackground(
                                  SessionStore.SESSIONS, advanced.sessionId(), refreshed)
                              .thenReturn(
                                  new Issued(
                                      access.accessToken(advanced, issuedAt, accessExpiresAt),
                                      refreshToken)));
            });
  }
}
