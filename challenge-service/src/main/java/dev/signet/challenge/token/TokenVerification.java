package dev.signet.challenge.token;

import java.time.Instant;

/**
 * Outcome of {@link TokenService#verify(String)}: either the token's claims, or a rejection with a
 * stable reason. A rejected token is an expected outcome (a client sent something old, foreign or
 * forged), not an error.
 */
public sealed interface TokenVerification {

  /** The token is genuine, current and meant for us. */
  record Valid(
      TokenKind kind,
      TokenClaims claims,
      String tokenId,
      Instant issuedAt,
      Instant expiresAt,
      Instant authTime)
      implements TokenVerification {}

  /** The token must not be trusted, for {@code reason}. */
  record Rejected(Reason reason) implements TokenVerification {}

  /** Why a token was rejected; {@link #code()} is stable and safe to show to API callers. */
  enum Reason {
    /** Not a compact JWS, unparsable header or claims, or a required claim is missing. */
    MALFORMED("malformed", "The token is malformed."),
    /** The signature does not match the key named by {@code kid}. */
    BAD_SIGNATURE("bad_signature", "The token signature is invalid."),
    /** No {@code kid}, or one that is not among the configured keys. */
    UNKNOWN_KID("unknown_kid", "The token was signed with an unknown key."),
    /** Anything but ES256, including {@code alg:none} and HMAC algorithms. */
    ALGORITHM_NOT_ALLOWED("algorithm_not_allowed", "The token algorithm is not allowed."),
    /** {@code exp} lies in the past (beyond the allowed clock skew). */
    EXPIRED("expired", "The token has expired."),
    /** {@code aud} does not name this deployment. */
    WRONG_AUDIENCE("wrong_audience", "The token audience is invalid."),
    /** {@code iss} is not this deployment's issuer. */
    WRONG_ISSUER("wrong_issuer", "The token issuer is invalid."),
    /** A genuine token of a kind ({@code typ}) the endpoint does not accept, or no Signet kind. */
    WRONG_KIND("wrong_kind", "The token is not of a kind this endpoint accepts.");

    private final String code;
    private final String description;

    Reason(String code, String description) {
      this.code = code;
      this.description = description;
    }

    public String code() {
      return code;
    }

    public String description() {
      return description;
    }
  }
}
