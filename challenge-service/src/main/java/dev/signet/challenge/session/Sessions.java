package dev.signet.challenge.session;

import dev.signet.challenge.action.ActionState;
import dev.signet.challenge.action.ActionStore;
import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.session.Session.RevocationReason;
import dev.signet.challenge.token.SessionToken;
import dev.signet.challenge.token.TokenClaims;
import dev.signet.challenge.token.TokenKind;
import dev.signet.challenge.token.TokenService;
import dev.signet.challenge.token.TokenVerification;
import dev.signet.challenge.user.User;
import dev.signet.challenge.user.UserStore;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Authsignal-compatible sessions (docs/api.md, sessions): a success token of a completed challenge
 * becomes a session of short-lived ES256 access tokens and rotating opaque refresh tokens.
 *
 * <p>Security invariants: one action attempt makes at most one session (a replayed success token is
 * refused); only the session's current access token validates (a refresh retires the previous one);
 * a refresh token is spent by exactly one refresh, and presenting a spent one, whether a thief's
 * replay or the loser of a race, revokes the whole session; revocation lives in MongoDB and is read
 * on every validate and refresh, so every instance sees it on the next call.
 */
@Component
public class Sessions {

  private static final Logger log = LoggerFactory.getLogger(Sessions.class);

  private final TokenService tokens;
  private final SessionAccess access;
  private final SessionStore store;
  private final SessionEvents events;
  private final Outbox outbox;
  private final UserStore users;
  private final ActionStore actions;
  private final SessionProperties properties;
  private final String tenantId;
  private final Clock clock;
  private final RefreshTokens random;

  Sessions(
      TokenService tokens,
      SessionAccess access,
      SessionStore store,
      Outbox outbox,
      UserStore users,
      ActionStore actions,
      SessionProperties properties,
      ChallengeProperties challenge,
      Clock clock,
      SecureRandom random) {
    this.tokens = tokens;
    this.access = access;
    this.store = store;
    this.events = new SessionEvents(outbox);
    this.outbox = outbox;
    this.users = users;
    this.actions = actions;
    this.properties = properties;
    this.tenantId = challenge.tenantId();
    this.clock = clock;
    this.random = new RefreshTokens(random);
  }

  /** A new access token and refresh token. */
  record Issued(String accessToken, String refreshToken) {}

  /** A validated access token, its live session and the user's stored attributes. */
  record Validated(SessionToken token, Session session, Optional<User> user) {}

  boolean clientAllowed(String clientId) {
    return properties.allowedClientIds().isEmpty()
        || properties.allowedClientIds().contains(clientId);
  }

  Mono<Issued> create(String token, String clientId, String action, String correlationId) {
    TokenVerification verification = tokens.verify(token, EnumSet.of(TokenKind.SUCCESS));
    if (verification instanceof TokenVerification.Rejected rejected) {
      return SessionAccess.invalid(rejected.reason().description());
    }
    TokenVerification.Valid valid = (TokenVerification.Valid) verification;
    TokenClaims claims = valid.claims();
    if (!tenantId.equals(claims.tenantId())) {
      return SessionAccess.invalid("The token was issued for another tenant.");
    }
    if (action != null && !action.equals(claims.actionCode())) {
      return SessionAccess.invalid("The token was not issued for this action.");
    }
    String source = ActionStore.id(claims.userId(), claims.actionCode(), claims.idempotencyKey());
    return actions
        .find(source)
        .switchIfEmpty(SessionAccess.invalid("The action this token refers to does not exist."))
        .flatMap(
            attempt -> {
              if (attempt.state() != ActionState.CHALLENGE_SUCCEEDED) {
                return SessionAccess.invalid("The action this token refers to has not succeeded.");
              }
              return store
                  .userRevokedBefore(claims.userId())
                  .flatMap(
                      before ->
                          valid.issuedAt().isAfter(before)
                              ? start(
                                  valid,
                                  clientId,
                                  source,
                                  attempt.verificationMethod(),
                                  correlationId)
                              : SessionAccess.invalid(
                                  "The token was issued before the user's sessions were"
                                      + " revoked."));
            });
  }

  private Mono<Issued> start(
      TokenVerification.Valid proof,
      String clientId,
      String source,
      String verificationMethod,
      String correlationId) {
    TokenClaims claims = proof.claims();
    Instant now = clock.instant();
    Instant issuedAt = now.truncatedTo(ChronoUnit.SECONDS);
    Instant sessionEnd = issuedAt.plus(properties.maxLifetime());
    Instant accessExpiresAt =
        SessionAccess.earliest(issuedAt.plus(properties.accessTokenLifetime()), sessionEnd);
    Instant refreshExpiresAt =
        SessionAccess.earliest(now.plus(properties.refreshTokenLifetime()), sessionEnd);
    Session session =
        newSession(claims, clientId, verificationMethod, proof.tokenId(), now, sessionEnd);
    String refreshToken = random.next();
    List<OutboxEvent> created =
        List.of(events.created(session, accessExpiresAt, correlationId, now));
    return store
        .insert(session, source, created)
        .flatMap(
            inserted -> {
              if (!inserted) {
                log.warn(
                    "session refused: success token replayed userId={} tokenId={}",
                    claims.userId(),
                    proof.tokenId());
                return SessionAccess.invalid(
                    "The token has already been used to create a session.");
              }
              return store
                  .insertRefreshToken(
                      RefreshTokens.hash(refreshToken), session, 0, now, refreshExpiresAt)
                  .then(
                      outbox.publishInBackground(
                          SessionStore.SESSIONS, session.sessionId(), created))
                  .then(
                      Mono.fromSupplier(
                          () -> {
                            log.info(
                                "session created sessionId={} userId={} clientId={}",
                                session.sessionId(),
                                session.userId(),
                                clientId);
                            return new Issued(
                                access.accessToken(session, issuedAt, accessExpiresAt),
                                refreshToken);
                          }));
            });
  }

  private Session newSession(
      TokenClaims claims,
      String clientId,
      String verificationMethod,
      String sourceTokenId,
      Instant now,
      Instant sessionEnd) {
    return new Session(
        random.randomId(16),
        claims.userId(),
        clientId,
        claims.actionCode(),
        claims.idempotencyKey(),
        verificationMethod,
        sourceTokenId,
        now,
        sessionEnd,
        0,
        random.randomId(16),
        null,
        null);
  }

  Mono<Validated> validate(String accessToken, List<String> clientIds) {
    return access
        .verified(accessToken)
        .flatMap(
            token -> {
              if (clientIds != null && !clientIds.contains(token.clientId())) {
                return SessionAccess.invalid("The token was not issued for any of these clients.");
              }
              return access
                  .live(token.sessionId(), token.userId())
                  .flatMap(
                      session -> {
                        if (!token.tokenId().equals(session.accessTokenId())) {
                          return SessionAccess.invalid(
                              "The access token was replaced by a refresh.");
                        }
                        return users
                            .find(token.userId())
                            .map(user -> new Validated(token, session, user));
                      });
            });
  }

  /**
   * Revokes the session of a genuine, unexpired access token of it (the current one or one a
   * refresh replaced). Revoking a revoked session changes nothing.
   */
  Mono<Void> revoke(String accessToken, String correlationId) {
    Instant now = clock.instant();
    return access
        .verified(accessToken)
        .flatMap(
            token ->
                store
                    .find(token.sessionId())
                    .filter(session -> session.userId().equals(token.userId()))
                    .switchIfEmpty(SessionAccess.invalid("The session does not exist.")))
        .flatMap(session -> revoke(session, RevocationReason.REVOKED, correlationId, now));
  }

  /**
   * Revokes every session of the user: first the per-user watermark that validate and refresh read
   * (so even a session being created at this moment counts as revoked), then each live session for
   * its event.
   */
  Mono<Void> revokeUser(String userId, String correlationId) {
    return revokeAll(userId, RevocationReason.USER_SESSIONS_REVOKED, correlationId);
  }

  /**
   * Revokes every session of a user about to be deleted, before the user is: a crash in between
   * leaves the user with no live session, never a deleted user with one.
   */
  public Mono<Void> revokeDeletedUser(String userId, String correlationId) {
    return revokeAll(userId, RevocationReason.USER_DELETED, correlationId);
  }

  private Mono<Void> revokeAll(String userId, RevocationReason reason, String correlationId) {
    Instant now = clock.instant();
    return store
        .markUserRevoked(userId, now)
        .thenMany(store.live(userId))
        .concatMap(session -> revoke(session, reason, correlationId, now))
        .then(
            Mono.fromRunnable(
                () -> log.info("user sessions revoked userId={} reason={}", userId, reason)));
  }

  private Mono<Void> revoke(
      Session session, RevocationReason reason, String correlationId, Instant now) {
    List<OutboxEvent> revoked = List.of(events.revoked(session, reason, correlationId, now));
    return store
        .revoke(session.sessionId(), reason, now, revoked)
        .flatMap(
            done -> {
              log.info(
                  "session revoked sessionId={} userId={} reason={}",
                  done.sessionId(),
                  done.userId(),
                  reason);
              return outbox.publishInBackground(SessionStore.SESSIONS, done.sessionId(), revoked);
            });
  }
}
