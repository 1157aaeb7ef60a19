package dev.signet.challenge.session;

import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.session.Session.RevocationReason;
import dev.signet.challenge.session.SessionStore.StoredRefreshToken;
import dev.signet.challenge.token.SessionToken;
import dev.signet.challenge.token.SessionTokenVerification;
import dev.signet.challenge.token.TokenClaims;
import dev.signet.challenge.token.TokenKind;
import dev.signet.challenge.token.TokenService;
import dev.signet.challenge.token.TokenVerification;
import dev.signet.challenge.user.User;
import dev.signet.challenge.user.UserStore;
import dev.signet.challenge.web.ApiError;
import dev.signet.challenge.web.ApiException;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
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

  static final String SUCCEEDED = "CHALLENGE_SUCCEEDED";

  private final TokenService tokens;
  private final SessionStore store;
  private final SessionEvents events;
  private final Outbox outbox;
  private final UserStore users;
  private final ReactiveMongoTemplate mongo;
  private final SessionProperties properties;
  private final String tenantId;
  private final Clock clock;
  private final RefreshTokens random;

  Sessions(
      TokenService tokens,
      SessionStore store,
      Outbox outbox,
      UserStore users,
      ReactiveMongoTemplate mongo,
      SessionProperties properties,
      ChallengeProperties challenge,
      Clock clock,
      SecureRandom random) {
    this.tokens = tokens;
    this.store = store;
    this.events = new SessionEvents(outbox);
    this.outbox = outbox;
    this.users = users;
    this.mongo = mongo;
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
      return invalid(rejected.reason().description());
    }
    TokenVerification.Valid valid = (TokenVerification.Valid) verification;
    TokenClaims claims = valid.claims();
    if (!tenantId.equals(claims.tenantId())) {
      return invalid("The token was issued for another tenant.");
    }
    if (action != null && !action.equals(claims.actionCode())) {
      return invalid("The token was not issued for this action.");
    }
    String source = claims.userId() + ":" + claims.actionCode() + ":" + claims.idempotencyKey();
    return mongo
        .findOne(Query.query(Criteria.where("_id").is(source)), Document.class, "actions")
        .switchIfEmpty(invalid("The action this token refers to does not exist."))
        .flatMap(
            actionDoc -> {
              if (!SUCCEEDED.equals(actionDoc.getString("state"))) {
                return invalid("The action this token refers to has not succeeded.");
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
                                  actionDoc.getString("verificationMethod"),
                                  correlationId)
                              : invalid(
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
    Instant accessExpiresAt = earliest(issuedAt.plus(properties.accessTokenLifetime()), sessionEnd);
    Instant refreshExpiresAt = earliest(now.plus(properties.refreshTokenLifetime()), sessionEnd);
    Session session =
        new Session(
            random.randomId(16),
            claims.userId(),
            clientId,
            claims.actionCode(),
            claims.idempotencyKey(),
            verificationMethod,
            proof.tokenId(),
            now,
            sessionEnd,
            0,
            random.randomId(16),
            null,
            null);
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
                return invalid("The token has already been used to create a session.");
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
                                accessToken(session, issuedAt, accessExpiresAt), refreshToken);
                          }));
            });
  }

  Mono<Validated> validate(String accessToken, List<String> clientIds) {
    return verified(accessToken)
        .flatMap(
            token -> {
              if (clientIds != null && !clientIds.contains(token.clientId())) {
                return invalid("The token was not issued for any of these clients.");
              }
              return live(token.sessionId(), token.userId())
                  .flatMap(
                      session -> {
                        if (!token.tokenId().equals(session.accessTokenId())) {
                          return invalid("The access token was replaced by a refresh.");
                        }
                        return users
                            .find(token.userId())
                            .map(user -> new Validated(token, session, user));
                      });
            });
  }

  Mono<Issued> refresh(String refreshToken, String correlationId) {
    if (!RefreshTokens.wellFormed(refreshToken)) {
      return invalid("The refresh token is invalid.");
    }
    Instant now = clock.instant();
    return store
        .spend(RefreshTokens.hash(refreshToken), now)
        .switchIfEmpty(invalid("The refresh token is invalid."))
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
            invalid(
                "The refresh token was already used: the session has been revoked as a"
                    + " precaution."));
  }

  private Mono<Issued> rotate(StoredRefreshToken stored, String correlationId, Instant now) {
    if (now.isAfter(stored.expiresAt())) {
      return invalid("The refresh token has expired.");
    }
    return live(stored.sessionId(), stored.userId())
        .flatMap(
            session -> {
              if (session.generation() != stored.generation()) {
                return invalid("The refresh token is invalid.");
              }
              int generation = session.generation() + 1;
              Instant issuedAt = now.truncatedTo(ChronoUnit.SECONDS);
              Instant accessExpiresAt =
                  earliest(issuedAt.plus(properties.accessTokenLifetime()), session.expiresAt());
              Instant refreshExpiresAt =
                  earliest(now.plus(properties.refreshTokenLifetime()), session.expiresAt());
              String accessTokenId = random.randomId(16);
              String refreshToken = random.next();
              List<OutboxEvent> refreshed =
                  List.of(
                      events.refreshed(session, generation, accessExpiresAt, correlationId, now));
              return store
                  .insertRefreshToken(
                      RefreshTokens.hash(refreshToken), session, generation, now, refreshExpiresAt)
                  .then(store.advance(session, accessTokenId, now, refreshed))
                  .switchIfEmpty(invalid("The session has been revoked."))
                  .flatMap(
                      advanced ->
                          outbox
                              .publishInBackground(
                                  SessionStore.SESSIONS, advanced.sessionId(), refreshed)
                              .thenReturn(
                                  new Issued(
                                      accessToken(advanced, issuedAt, accessExpiresAt),
                                      refreshToken)));
            });
  }

  /**
   * Revokes the session of a genuine, unexpired access token of it (the current one or one a
   * refresh replaced). Revoking a revoked session changes nothing.
   */
  Mono<Void> revoke(String accessToken, String correlationId) {
    Instant now = clock.instant();
    return verified(accessToken)
        .flatMap(
            token ->
                store
                    .find(token.sessionId())
                    .filter(session -> session.userId().equals(token.userId()))
                    .switchIfEmpty(invalid("The session does not exist.")))
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

  /** The claims of a genuine, unexpired session access token of this tenant. */
  private Mono<SessionToken> verified(String accessToken) {
    SessionTokenVerification verification = tokens.verifySession(accessToken);
    if (verification instanceof SessionTokenVerification.Rejected rejected) {
      return invalid(rejected.reason().description());
    }
    SessionToken token = ((SessionTokenVerification.Valid) verification).token();
    if (!tenantId.equals(token.tenantId())) {
      return invalid("The token was issued for another tenant.");
    }
    return Mono.just(token);
  }

  /** The session, if it is still alive: not revoked, alone or with all the user's, not expired. */
  private Mono<Session> live(String sessionId, String userId) {
    Instant now = clock.instant();
    return store
        .find(sessionId)
        .filter(session -> session.userId().equals(userId))
        .switchIfEmpty(invalid("The session does not exist."))
        .flatMap(
            session -> {
              if (session.revoked()) {
                return invalid("The session has been revoked.");
              }
              if (now.isAfter(session.expiresAt())) {
                return invalid("The session has expired.");
              }
              return store
                  .userRevokedBefore(userId)
                  .flatMap(
                      before ->
                          session.createdAt().isAfter(before)
                              ? Mono.just(session)
                              : invalid("The session has been revoked."));
            });
  }

  private String accessToken(Session session, Instant issuedAt, Instant expiresAt) {
    return tokens.issueSession(
        new SessionToken(
            session.userId(),
            session.clientId(),
            session.sessionId(),
            tenantId,
            session.accessTokenId(),
            issuedAt,
            expiresAt));
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static <T> Mono<T> invalid(String description) {
    return Mono.error(new ApiException(ApiError.INVALID_TOKEN, description));
  }
}
