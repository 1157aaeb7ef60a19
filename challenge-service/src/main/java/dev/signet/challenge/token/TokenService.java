package dev.signet.challenge.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.challenge.token.TokenVerification.Reason;
import dev.signet.challenge.token.TokenVerification.Rejected;
import dev.signet.challenge.token.TokenVerification.Valid;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Issues and verifies Signet tokens: ES256 JWTs (docs/tokens.md) signed by the active configured
 * key.
 *
 * <p>Verification trusts nothing in the token before its signature checks out: the algorithm must
 * be exactly ES256 (which closes {@code alg:none} and the HS256-with-the-public-key confusion), the
 * key is looked up only by {@code kid} among the configured keys (never taken from {@code jwk} or
 * {@code jku} headers), a signature's S must be the low one of its two valid values, and only then
 * are the kind ({@code typ}), expiry, issuer, audience and the required claims read.
 */
public class TokenService {

  /** Far above any token we issue; refuses to parse megabytes of attacker input. */
  static final int MAX_TOKEN_LENGTH = 8 * 1024;

  /** When the action attempt was first authenticated (OpenID Connect's claim name). */
  static final String AUTH_TIME = "auth_time";

  /** The JOSE {@code typ} of a session access token; no {@link TokenKind} has it. */
  public static final String SESSION_TYPE = "signet-session+jwt";

  /** The session a session access token belongs to (OpenID Connect's claim name). */
  static final String SESSION_ID = "sid";

  private final SigningKeys keys;
  private final TokenSigner signer;
  private final String audience;
  private final Duration lifetime;
  private final Duration maxLifetime;
  private final String issuer;
  private final Duration clockSkew;
  private final Clock clock;
  private final SecureRandom random;
  private final VerificationMeters meters;

  /** Fails with an IllegalStateException when the configured keys are missing or unusable. */
  public TokenService(
      TokenProperties properties, Clock clock, SecureRandom random, MeterRegistry meters) {
    this.keys = SigningKeys.from(properties.signingKeys(), properties.activeKeyId());
    this.signer = new TokenSigner(keys);
    this.audience = properties.audience();
    this.lifetime = properties.lifetime();
    this.maxLifetime = properties.maxLifetime();
    this.issuer = properties.issuer();
    this.clockSkew = properties.clockSkew();
    this.clock = clock;
    this.random = random;
    this.meters = new VerificationMeters(meters);
  }

  /**
   * Signs a new token of {@code kind} for {@code claims}, authenticated now: the first token of an
   * action attempt (track, claim).
   */
  public String issue(TokenKind kind, TokenClaims claims) {
    return issue(kind, claims, clock.instant());
  }

  /**
   * Signs a new token of {@code kind} for {@code claims} of an action attempt first authenticated
   * at {@code authTime}. It expires after the configured lifetime, but never later than {@code
   * authTime} plus the maximum lifetime: re-issuing cannot stretch a session without end.
   */
  public String issue(TokenKind kind, TokenClaims claims, Instant authTime) {
    Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant authenticated = authTime.truncatedTo(ChronoUnit.SECONDS);
    if (authenticated.isAfter(issuedAt)) {
      authenticated = issuedAt;
    }
    Instant expiresAt = issuedAt.plus(lifetime);
    Instant sessionEnd = authenticated.plus(maxLifetime);
    if (expiresAt.isAfter(sessionEnd)) {
      expiresAt = sessionEnd;
    }
    Map<String, Object> other = new LinkedHashMap<>();
    other.put("tenantId", claims.tenantId());
    other.put("userId", claims.userId());
    other.put("actionCode", claims.actionCode());
    other.put("idempotencyKey", claims.idempotencyKey());
    JWTClaimsSet set =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(claims.userId())
            .audience(audience)
            .issueTime(Date.from(issuedAt))
            .expirationTime(Date.from(expiresAt))
            .claim(AUTH_TIME, authenticated.getEpochSecond())
            .jwtID(newTokenId())
            .claim("scope", claims.scope())
            .claim("other", other)
            .build();
    return signer.sign(kind.type(), set);
  }

  /** Checks {@code token}, of any Signet kind, and returns its claims or why it is not trusted. */
  public TokenVerification verify(String token) {
    return verify(token, EnumSet.allOf(TokenKind.class));
  }

  /**
   * Checks {@code token} and returns its claims, or why it must not be trusted; a genuine token of
   * a kind not in {@code accepted} is rejected ({@code wrong_kind}).
   */
  public TokenVerification verify(String token, Set<TokenKind> accepted) {
    return meters.counted(check(token, accepted));
  }

  private TokenVerification check(String token, Set<TokenKind> accepted) {
    TokenSigner.Signed signed = signer.checkSignature(token);
    if (signed.rejection() != null) {
      return new Rejected(signed.rejection());
    }
    SignedJWT jwt = signed.jwt();
    JOSEObjectType type = jwt.getHeader().getType();
    TokenKind kind = type == null ? null : TokenKind.ofType(type.getType()).orElse(null);
    if (kind == null || !accepted.contains(kind)) {
      return new Rejected(Reason.WRONG_KIND);
    }
    try {
      return checkClaims(kind, jwt.getJWTClaimsSet());
    } catch (ParseException | RuntimeException e) {
      return new Rejected(Reason.MALFORMED);
    }
  }

  /**
   * Signs a session access token ({@code typ} {@value #SESSION_TYPE}) for {@code session}: its
   * audience is the app client alone, never the challenge audience, so that neither kind can pass
   * for the other even with a verifier that forgets to look at {@code typ}.
   */
  public String issueSession(SessionToken session) {
    JWTClaimsSet set =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(session.userId())
            .audience(session.clientId())
            .issueTime(Date.from(session.issuedAt()))
            .expirationTime(Date.from(session.expiresAt()))
            .jwtID(session.tokenId())
            .claim(SESSION_ID, session.sessionId())
            .claim("other", Map.of("tenantId", session.tenantId(), "userId", session.userId()))
            .build();
    return signer.sign(SESSION_TYPE, set);
  }

  /**
   * Checks a session access token with the same rules as {@link #verify(String, Set)} (ES256 only,
   * known {@code kid}, low S), then its kind ({@value #SESSION_TYPE} only), expiry, issuer and
   * claims. Whether the session still lives is for the caller to read from its store.
   */
  public SessionTokenVerification verifySession(String token) {
    return meters.counted(checkSession(token));
  }

  private SessionTokenVerification checkSession(String token) {
    TokenSigner.Signed signed = signer.checkSignature(token);
    if (signed.rejection() != null) {
      return new SessionTokenVerification.Rejected(signed.rejection());
    }
    JOSEObjectType type = signed.jwt().getHeader().getType();
    if (type == null || !SESSION_TYPE.equals(type.getType())) {
      return new SessionTokenVerification.Rejected(Reason.WRONG_KIND);
    }
    try {
      return checkSessionClaims(signed.jwt().getJWTClaimsSet());
    } catch (ParseException | RuntimeException e) {
      return new SessionTokenVerification.Rejected(Reason.MALFORMED);
    }
  }

  private SessionTokenVerification checkSessionClaims(JWTClaimsSet claims) throws ParseException {
    Date exp = claims.getExpirationTime();
    Date iat = claims.getIssueTime();
    if (exp == null || iat == null) {
      return new SessionTokenVerification.Rejected(Reason.MALFORMED);
    }
    Instant now = clock.instant();
    if (now.isAfter(exp.toInstant().plus(clockSkew))) {
      return new SessionTokenVerification.Rejected(Reason.EXPIRED);
    }
    if (iat.toInstant().isAfter(now.plus(clockSkew))) {
      return new SessionTokenVerification.Rejected(Reason.MALFORMED);
    }
    if (!issuer.equals(claims.getIssuer())) {
      return new SessionTokenVerification.Rejected(Reason.WRONG_ISSUER);
    }
    List<String> aud = claims.getAudience();
    if (aud == null || aud.size() != 1 || aud.get(0) == null || aud.get(0).isBlank()) {
      return new SessionTokenVerification.Rejected(Reason.WRONG_AUDIENCE);
    }
    Map<String, Object> other = claims.getJSONObjectClaim("other");
    String subject = claims.getSubject();
    String tokenId = claims.getJWTID();
    String sessionId = claims.getStringClaim(SESSION_ID);
    String tenantId = other == null ? null : text(other.get("tenantId"));
    if (blank(subject)
        || blank(tokenId)
        || blank(sessionId)
        || blank(tenantId)
        || !subject.equals(text(other.get("userId")))) {
      return new SessionTokenVerification.Rejected(Reason.MALFORMED);
    }
    return new SessionTokenVerification.Valid(
        new SessionToken(
            subject, aud.get(0), sessionId, tenantId, tokenId, iat.toInstant(), exp.toInstant()));
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  /** Public halves of all configured keys as a JWKS document ({@code {"keys":[...]}}). */
  public Map<String, Object> publicJwks() {
    return keys.publicKeys().toJSONObject(true);
  }

  private TokenVerification checkClaims(TokenKind kind, JWTClaimsSet claims) throws ParseException {
    Date exp = claims.getExpirationTime();
    Date iat = claims.getIssueTime();
    Long authTime = claims.getLongClaim(AUTH_TIME);
    if (exp == null || iat == null || authTime == null) {
      return new Rejected(Reason.MALFORMED);
    }
    Instant now = clock.instant();
    if (now.isAfter(exp.toInstant().plus(clockSkew))) {
      return new Rejected(Reason.EXPIRED);
    }
    if (iat.toInstant().isAfter(now.plus(clockSkew))) {
      return new Rejected(Reason.MALFORMED);
    }
    if (Instant.ofEpochSecond(authTime).isAfter(iat.toInstant())) {
      return new Rejected(Reason.MALFORMED);
    }
    if (!issuer.equals(claims.getIssuer())) {
      return new Rejected(Reason.WRONG_ISSUER);
    }
    List<String> aud = claims.getAudience();
    if (aud == null || !aud.contains(audience)) {
      return new Rejected(Reason.WRONG_AUDIENCE);
    }
    String subject = claims.getSubject();
    String tokenId = claims.getJWTID();
    String scope = claims.getStringClaim("scope");
    Map<String, Object> other = claims.getJSONObjectClaim("other");
    if (subject == null || tokenId == null || tokenId.isBlank() || scope == null || other == null) {
      return new Rejected(Reason.MALFORMED);
    }
    String userId = text(other.get("userId"));
    if (!subject.equals(userId)) {
      return new Rejected(Reason.MALFORMED);
    }
    TokenClaims tokenClaims =
        new TokenClaims(
            userId,
            text(other.get("actionCode")),
            text(other.get("idempotencyKey")),
            scope,
            text(other.get("tenantId")));
    return new Valid(
        kind,
        tokenClaims,
        tokenId,
        iat.toInstant(),
        exp.toInstant(),
        Instant.ofEpochSecond(authTime));
  }

  private static String text(Object value) {
    return value instanceof String s ? s : null;
  }

  private String newTokenId() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
