package dev.signet.challenge.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of challenge-service under {@code signet.challenge}. Secrets have no defaults here: the
 * local stack generates them and production must configure them.
 *
 * @param apiSecret server API secret checked on every server API call (Basic auth username)
 * @param codeHmacKey base64 key under which codes are stored as HMAC-SHA-256
 * @param sealKeys comma-separated {@code keyId:base64(32-byte AES key)} shared with the dispatcher
 * @param sealActiveKeyId id of the seal key used for new codes
 * @param codeLength digits per code (6 to 10)
 * @param codeLifetime how long a code stays valid
 * @param relayInterval how often the outbox relay looks for events not yet published
 * @param relayGrace how old an unpublished event must be before the relay takes it over
 * @param fictionalNumberPrefixes E.164 prefixes of fictional ranges accepted for the SMS sandbox
 */
@ConfigurationProperties("signet.challenge")
public record ChallengeProperties(
    String apiSecret,
    String codeHmacKey,
    String sealKeys,
    String sealActiveKeyId,
    int codeLength,
    Duration codeLifetime,
    Duration relayInterval,
    Duration relayGrace,
    java.util.List<String> fictionalNumberPrefixes) {

  public ChallengeProperties {
    if (codeLength == 0) {
      codeLength = 6;
    }
    if (codeLength < 6 || codeLength > 10) {
      throw new IllegalArgumentException("signet.challenge.code-length must be between 6 and 10");
    }
    codeLifetime = codeLifetime == null ? Duration.ofMinutes(10) : codeLifetime;
    relayInterval = relayInterval == null ? Duration.ofSeconds(1) : relayInterval;
    relayGrace = relayGrace == null ? Duration.ofSeconds(2) : relayGrace;
    fictionalNumberPrefixes =
        fictionalNumberPrefixes == null ? java.util.List.of() : fictionalNumberPrefixes;
  }
}
