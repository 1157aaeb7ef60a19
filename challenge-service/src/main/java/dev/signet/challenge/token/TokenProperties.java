package dev.signet.challenge.token;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * Token settings under {@code signet.challenge.token}. The signing keys have no default: every
 * instance must sign and verify with the same keys, so a per-instance random key would break tokens
 * as soon as a second instance runs.
 *
 * @param signingKeys JWK set JSON (or its base64) with one or more EC P-256 private keys, each with
 *     a {@code kid} ({@code SIGNET_TOKEN_SIGNING_KEYS})
 * @param activeKeyId the {@code kid} that signs new tokens ({@code SIGNET_TOKEN_ACTIVE_KEY_ID});
 *     may be left empty when the set holds exactly one key
 * @param audience the {@code aud} of issued tokens and the only one accepted
 * @param lifetime how long an issued token stays valid
 * @param clockSkew tolerance for clocks of other instances when checking {@code exp} and {@code
 *     iat}, at most 30 seconds
 * @param issuer the {@code iss} of issued tokens and the only one accepted (e.g. the service's
 *     public base URL)
 * @param maxLifetime absolute lifetime of the tokens of one action attempt, counted from its first
 *     authentication ({@code auth_time}): no token of that attempt expires later
 */
@ConfigurationProperties("signet.challenge.token")
public record TokenProperties(
    String signingKeys,
    String activeKeyId,
    String audience,
    Duration lifetime,
    Duration clockSkew,
    String issuer,
    Duration maxLifetime) {

  static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(30);

  static final String DEFAULT_ISSUER = "urn:signet:challenge-service";

  /** The settings with the default issuer and absolute lifetime. */
  public TokenProperties(
      String signingKeys,
      String activeKeyId,
      String audience,
      Duration lifetime,
      Duration clockSkew) {
    this(signingKeys, activeKeyId, audience, lifetime, clockSkew, null, null);
  }

  @ConstructorBinding
  public TokenProperties {
    audience = audience == null || audience.isBlank() ? "signet" : audience;
    lifetime = lifetime == null ? Duration.ofMinutes(10) : lifetime;
    clockSkew = clockSkew == null ? MAX_CLOCK_SKEW : clockSkew;
    issuer = issuer == null || issuer.isBlank() ? DEFAULT_ISSUER : issuer.trim();
    maxLifetime = maxLifetime == null ? Duration.ofMinutes(30) : maxLifetime;
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("signet.challenge.token.lifetime must be positive");
    }
    if (maxLifetime.compareTo(lifetime) < 0) {
      throw new IllegalArgumentException(
          "signet.challenge.token.max-lifetime must be at least signet.challenge.token.lifetime");
    }
    if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
      throw new IllegalArgumentException(
          "signet.challenge.token.clock-skew must be between 0 and 30 seconds");
    }
  }
}
