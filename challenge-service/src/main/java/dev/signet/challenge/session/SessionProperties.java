package dev.signet.challenge.session;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Session settings under {@code signet.challenge.session} (docs/limits.md, sessions).
 *
 * @param accessTokenLifetime how long a session access token is accepted: short, because a stolen
 *     one cannot be called back before it expires by a verifier that checks it locally
 * @param refreshTokenLifetime how long a refresh token may wait unused before it expires (each
 *     refresh issues a new one)
 * @param maxLifetime absolute lifetime of a session from its creation: no token of it expires
 *     later, however often it is refreshed
 * @param allowedClientIds the app clients sessions may be created for; empty accepts any
 *     well-formed client id
 * @param retentionInterval how often ended sessions and spent refresh tokens past their retention
 *     are deleted
 */
@ConfigurationProperties("signet.challenge.session")
record SessionProperties(
    Duration accessTokenLifetime,
    Duration refreshTokenLifetime,
    Duration maxLifetime,
    List<String> allowedClientIds,
    Duration retentionInterval) {

  SessionProperties {
    accessTokenLifetime = accessTokenLifetime == null ? Duration.ofMinutes(5) : accessTokenLifetime;
    refreshTokenLifetime = refreshTokenLifetime == null ? Duration.ofDays(7) : refreshTokenLifetime;
    maxLifetime = maxLifetime == null ? Duration.ofDays(30) : maxLifetime;
    allowedClientIds =
        allowedClientIds == null
            ? List.of()
            : allowedClientIds.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    retentionInterval = retentionInterval == null ? Duration.ofMinutes(10) : retentionInterval;
    if (retentionInterval.isNegative() || retentionInterval.isZero()) {
      throw new IllegalArgumentException(
          "signet.challenge.session.retention-interval must be positive");
    }
    if (accessTokenLifetime.isNegative() || accessTokenLifetime.isZero()) {
      throw new IllegalArgumentException(
          "signet.challenge.session.access-token-lifetime must be positive");
    }
    if (refreshTokenLifetime.compareTo(accessTokenLifetime) < 0) {
      throw new IllegalArgumentException(
          "signet.challenge.session.refresh-token-lifetime must be at least the access token"
              + " lifetime");
    }
    if (maxLifetime.compareTo(refreshTokenLifetime) < 0) {
      throw new IllegalArgumentException(
          "signet.challenge.session.max-lifetime must be at least the refresh token lifetime");
    }
  }
}
