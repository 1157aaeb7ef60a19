package dev.signet.challenge.token;

import dev.signet.challenge.token.TokenVerification.Reason;

/**
 * Outcome of {@link TokenService#verifySession(String)}: the session access token's claims, or why
 * it must not be trusted (the same stable reasons as for every other Signet token).
 */
public sealed interface SessionTokenVerification {

  /** The token is a genuine, current session access token of this deployment. */
  record Valid(SessionToken token) implements SessionTokenVerification {}

  /** The token must not be trusted, for {@code reason}. */
  record Rejected(Reason reason) implements SessionTokenVerification {}
}
