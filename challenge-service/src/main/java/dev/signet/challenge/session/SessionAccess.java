package dev.signet.challenge.session;

import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.token.SessionToken;
import dev.signet.challenge.token.SessionTokenVerification;
import dev.signet.challenge.token.TokenService;
import dev.signet.challenge.web.ApiError;
import dev.signet.challenge.web.ApiException;
import java.time.Clock;
import java.time.Instant;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The access tokens of sessions: minting one for a session, verifying one, and the liveness check
 * (not revoked, alone or with all the user's, not expired) behind every validate and refresh. Every
 * refusal is an {@code invalid_token} error with its documented description.
 */
@Component
class SessionAccess {

  private final TokenService tokens;
  private final SessionStore store;
  private final String tenantId;
  private final Clock clock;

  SessionAccess(
      TokenService tokens, SessionStore store, ChallengeProperties challenge, Clock clock) {
    this.tokens = tokens;
    this.store = store;
    this.tenantId = challenge.tenantId();
    this.clock = clock;
  }

  /** The claims of a genuine, unexpired session access token of this tenant. */
  Mono<SessionToken> verified(String accessToken) {
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
  Mono<Session> live(String sessionId, String userId) {
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

  String accessToken(Session session, Instant issuedAt, Instant expiresAt) {
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

  static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  static <T> Mono<T> invalid(String description) {
    return Mono.error(new ApiException(ApiError.INVALID_TOKEN, description));
  }
}
