package dev.signet.challenge.config;

import dev.signet.platform.outbox.OutboxSettings;
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
 * @param codeLength digits per code (6 to 10; unset takes 6)
 * @param codeLifetime how long a code stays valid
 * @param relayInterval how often the outbox relay looks for events not yet published
 * @param relayGrace how old an unpublished event must be before the relay takes it over
 * @param fictionalNumberPrefixes E.164 prefixes of fictional ranges accepted for the SMS sandbox;
 *     none unless configured, refused under the production profile
 * @param limits attempt, resend and per-phone limits
 * @param tenantId tenant id written into tokens ({@code other.tenantId}) and the JWKS path
 * @param maintenanceInterval how often expired challenges get their event and old documents go
 * @param outboxAckInterval how often published events are removed from their documents, in one bulk
 *     write per collection; shorter than {@code relayGrace}
 * @param testNumbers {@code +number:code} pairs answered with a fixed code and never texted; none
 *     unless configured, refused under the production profile
 */
@ConfigurationProperties("signet.challenge")
public record ChallengeProperties(
    String codeHmacKey,
    String sealKeys,
    String sealActiveKeyId,
    Integer codeLength,
    Duration codeLifetime,
    Duration relayInterval,
    Duration relayGrace,
    java.util.List<String> fictionalNumberPrefixes,
    Limits limits,
    String tenantId,
    Duration maintenanceInterval,
    Duration outboxAckInterval,
    String testNumbers) {

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
      Integer maxAttempts,
      Duration resendCooldown,
      Integer maxSends,
      Integer sendsPerPhone,
      Duration sendsWindow,
      Integer verificationsPerPhone,
      Duration verificationsWindow,
      Integer consecutiveFailures,
      Integer failureLockEvery,
      Duration failureLockout,
      Integer sendsPerIp,
      Duration sendsPerIpWindow) {

    /** An office's or a carrier's NAT serves many users; a script on one address far more. */
    public static final int SENDS_PER_IP = 100;

    public Limits {
      maxAttempts = atLeastOne(maxAttempts, 5, "limits.max-attempts");
      resendCooldown =
          notNegative(resendCooldown, Duration.ofSeconds(30), "limits.resend-cooldown");
      maxSends = atLeastOne(maxSends, 5, "limits.max-sends");
      sendsPerPhone = atLeastOne(sendsPerPhone, 6, "limits.sends-per-phone");
      sendsWindow = positive(sendsWindow, Duration.ofMinutes(10), "limits.sends-window");
      verificationsPerPhone =
          atLeastOne(verificationsPerPhone, 10, "limits.verifications-per-phone");
      verificationsWindow =
          positive(verificationsWindow, Duration.ofMinutes(5), "limits.verifications-window");
      consecutiveFailures = atLeastOne(consecutiveFailures, 100, "limits.consecutive-failures");
      failureLockEvery = atLeastOne(failureLockEvery, 10, "limits.failure-lock-every");
      failureLockout = positive(failureLockout, Duration.ofMinutes(5), "limits.failure-lockout");
      sendsPerIp = sendsPerIp == null ? SENDS_PER_IP : sendsPerIp;
      if (sendsPerIp < 0) {
        throw new IllegalArgumentException(
            "signet.challenge.limits.sends-per-ip must be 0 (off) or more");
      }
      sendsPerIpWindow =
          positive(sendsPerIpWindow, Duration.ofMinutes(10), "limits.sends-per-ip-window");
    }

    static Limits defaults() {
      return new Limits(null, null, null, null, null, null, null, null, null, null, null, null);
    }
  }

  public ChallengeProperties {
    codeLength = codeLength == null ? 6 : codeLength;
    if (codeLength < 6 || codeLength > 10) {
      throw new IllegalArgumentException("signet.challenge.code-length must be between 6 and 10");
    }
    codeLifetime = positive(codeLifetime, Duration.ofMinutes(10), "code-lifetime");
    relayInterval = positive(relayInterval, Duration.ofSeconds(1), "relay-interval");
    relayGrace = positive(relayGrace, Duration.ofSeconds(10), "relay-grace");
    fictionalNumberPrefixes =
        fictionalNumberPrefixes == null ? java.util.List.of() : fictionalNumberPrefixes;
    limits = limits == null ? Limits.defaults() : limits;
    tenantId = tenantId == null || tenantId.isBlank() ? "signet" : tenantId;
    maintenanceInterval =
        positive(maintenanceInterval, Duration.ofSeconds(5), "maintenance-interval");
    outboxAckInterval = positive(outboxAckInterval, Duration.ofSeconds(1), "outbox-ack-interval");
    testNumbers = testNumbers == null ? "" : testNumbers;
  }

  /** The platform outbox over {@code collections}, relayed and acknowledged as configured here. */
  public OutboxSettings outbox(java.util.List<String> collections) {
    return new OutboxSettings(collections, relayInterval, relayGrace, outboxAckInterval, 200);
  }

  /**
   * Unset takes the default; 0 or less is refused at start-up (a count of 0 would refuse every
   * request, so it never means "off" here).
   */
  static int atLeastOne(Integer value, int fallback, String name) {
    if (value == null) {
      return fallback;
    }
    if (value < 1) {
      throw new IllegalArgumentException("signet.challenge." + name + " must be 1 or more");
    }
    return value;
  }

  /** Unset takes the default; 0 means none (no wait); a negative duration is refused. */
  static Duration notNegative(Duration value, Duration fallback, String name) {
    if (value != null && value.isNegative()) {
      throw new IllegalArgumentException("signet.challenge." + name + " must not be negative");
    }
    return value == null ? fallback : value;
  }

  /** Unset takes the default; zero or a negative duration is refused at start-up. */
  static Duration positive(Duration value, Duration fallback, String name) {
    if (value == null) {
      return fallback;
    }
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(
          "signet.challenge." + name + " must be a positive duration");
    }
    return value;
  }
}
