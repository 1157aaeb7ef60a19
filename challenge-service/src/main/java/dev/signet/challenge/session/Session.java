package dev.signet.challenge.session;

import java.time.Instant;

/**
 * One session: the family of access and refresh tokens issued from one success token for one app
 * client. Only the current access token ({@code accessTokenId}) and the current refresh token are
 * accepted; revoking the session ends the whole family at once.
 *
 * @param sessionId random id, the access tokens' {@code sid}
 * @param generation how often the session has been refreshed
 * @param accessTokenId {@code jti} of the one access token currently accepted
 * @param revokedAt when the session was revoked, {@code null} while it lives
 * @param revokedReason why, {@code null} while it lives
 */
record Session(
    String sessionId,
    String userId,
    String clientId,
    String actionCode,
    String idempotencyKey,
    String verificationMethod,
    String sourceTokenId,
    Instant createdAt,
    Instant expiresAt,
    int generation,
    String accessTokenId,
    Instant revokedAt,
    RevocationReason revokedReason) {

  boolean revoked() {
    return revokedAt != null;
  }

  /** Why a session was revoked (the values of the {@code auth.session.revoked.v1} event). */
  enum RevocationReason {
    /** {@code POST /v1/sessions/revoke} with one of its access tokens. */
    REVOKED,
    /** {@code POST /v1/sessions/user/revoke} for its user. */
    USER_SESSIONS_REVOKED,
    /** A spent refresh token of the session was presented again. */
    REFRESH_TOKEN_REUSED,
    /** {@code DELETE /v1/users/{userId}} for its user. */
    USER_DELETED
  }
}
