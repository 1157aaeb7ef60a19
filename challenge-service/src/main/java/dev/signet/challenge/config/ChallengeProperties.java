package dev.signet.challenge.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of challenge-service under {@code signet.challenge}. Secrets have no defaults here: the
 * local stack generates them and production must configure them. The API and management secrets are
 * read by the security chain alone ({@code security/SecurityProperties}).
 *
 * @param codeHmacKey base64 key under which codes are stored as HMAC-SHA-256
 * @param sealKeys comma-separated {@code keyId:base64(32-byte AES key)} shared with the dispatcher
 * @param sealActiveKeyId id of the seal key used for new codes
 * @param codeLength digits per code (6 to 10)
 * @param codeLifetime how long a code stays valid
 * @param relayInterval how often the outbox relay looks for events not yet published
 * @param relayGrace how old an unpublished event must be before the relay takes it over
 * @param fictionalNumberPrefixes E.164 prefixes of fictional ranges accepted for the SMS sandbox;
 *     none unless configured, refused under the production profile
 * @param limits attempt, resend and per-phone limits
 * @param tenantId tenant id written into tokens ({@code other.tenantId}) and the JWKS path
 */
@ConfigurationProperties("signet.challenge")
public record ChallengeProperties(
    String codeHmacKey,
    String sealKeys,
    String sealActiveKeyId,
    int codeLength,
    Duration codeLifetime,
    Duration relayInterval,
    Duration relayGrace,
    java.util.List<String> fictionalNumberPrefixes,
    Limits limits,
    String tenantId) {

  /**
   * Limits of docs/challenge-service.md, all enforced with atomic MongoDB updates shared by every
   * instance.
   *
   * @param maxAttempts wrong codes per challenge before it is dead
   * @param resendCooldown minimum time between two sends of one challenge
   * @param maxSends sends per challenge, first send included
   * @param sendsPerPhone sends per phone number per {@code sendsWindow}
   * @param verificationsPerPhone verification attempts per phone number per {@code
   *     verificationsWindow}
   * @param consecutiveFailures wrong codes in a row per account (phone number, user, client action
   *     attempt) across challenges after which verification is refused until an operator resets the
   *     account (a resend or a new challenge never resets it, only a success does)
   * @param failureLockEvery every this many wrong codes in a row the account is locked for a while
   * @param failureLockout the first such lock; each following one lasts twice as long
   * @param sendsPerIp sends per end-user IP address (an IPv6 address counts by its /64) per {@code
   *     sendsPerIpWindow}; unset takes {@link #SENDS_PER_IP}, 0 turns the limit off. The address is
   *     the {@code ipAddress} the customer's back end reports (on the challenge, or on the tracked
   *     action for the client API)
   * @param sendsPerIpWindow window of the per-IP limit (10 minutes)
   */
  public record Limits(
      int maxAttempts,
      Duration resendCooldown,
      int maxSends,
      int sendsPerPhone,
      Duration sendsWindow,
      int verificationsPerPhone,
      Duration verificationsWindow,
      int consecutiveFailures,
      int failureLockEvery,
      Duration failureLockout,
      Integer sendsPerIp,
      Duration sendsPerIpWindow) {

    /** An office's or a carrier's NAT serves many users; a script on one address far more. */
    public static final int SENDS_PER_IP = 100;

    public Limits {
      maxAttempts = maxAttempts == 0 ? 5 : maxAttempts;
      resendCooldown = resendCooldown == null ? Duration.ofSeconds(30) : resendCooldown;
      maxSends = maxSends == 0 ? 5 : maxSends;
      sendsPerPhone = sendsPerPhone == 0 ? 6 : sendsPerPhone;
      sendsWindow = sendsWindow == null ? Duration.ofMinutes(10) : sendsWindow;
      verificationsPerPhone = verificationsPerPhone == 0 ? 10 : verificationsPerPhone;
      verificationsWindow =
          verificationsWindow == null ? Duration.ofMinutes(5) : verificationsWindow;
      consecutiveFailures = consecutiveFailures == 0 ? 100 : consecutiveFailures;
      failureLockEvery = failureLockEvery == 0 ? 10 : failureLockEvery;
      if (consecutiveFailures < 0 || failureLockEvery < 0) {
        throw new IllegalArgumentException(
            "signet.challenge.limits.consecutive-failures and failure-lock-every must be positive");
      }
      failureLockout = failureLockout == null ? Duration.ofMinutes(5) : failureLockout;
      if (failureLockout.isNegative() || failureLockout.isZero()) {
        throw new IllegalArgumentException(
            "signet.challenge.limits.failure-lockout must be a positive duration");
      }
      sendsPerIp = sendsPerIp == null ? SENDS_PER_IP : sendsPerIp;
      if (sendsPerIp < 0) {
        throw new IllegalArgumentException(
            "signet.challenge.limits.sends-per-ip must be 0 (off) or more");
      }
      sendsPerIpWindow = sendsPerIpWindow == null ? Duration.ofMinutes(10) : sendsPerIpWindow;
    }

    static Limits defaults() {
      return new Limits(0, null, 0, 0, null, 0, null, 0, 0, null, null, null);
    }
  }

  public ChallengeProperties {
    if (codeLength == 0) {
      codeLength = 6;
    }
    if (codeLength < 6 || codeLength > 10) {
      throw new IllegalArgumentException("signet.challenge.code-length must be between 6 and 10");
    }
    codeLifetime = codeLifetime == null ? Duration.ofMinutes(10) : codeLifetime;
    relayInterval = relayInterval == null ? Duration.ofSeconds(1) : relayInterval;
    relayGrace = relayGrace == null ? Duration.ofSeconds(10) : relayGrace;
    fictionalNumberPrefixes =
        fictionalNumberPrefixes == null ? java.util.List.of() : fictionalNumberPrefixes;
    limits = limits == null ? Limits.defaults() : limits;
    tenantId = tenantId == null || tenantId.isBlank() ? "signet" : tenantId;
  }
}
