package dev.signet.challenge.challenge;

import dev.signet.platform.outbox.OutboxEvent;
import java.time.Instant;
import java.util.List;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A challenge as stored: the code only as its HMAC, the counters that verify and resend update with
 * conditional writes, the pending events of its latest change, and the per-phone send slots its
 * sends took (see {@link SendSlots}).
 */
@Document("challenges")
public record ChallengeDocument(
    @Id String id,
    String verificationMethod,
    String channel,
    String phoneNumber,
    String countryCode,
    String action,
    String userId,
    String locale,
    String idempotencyKey,
    String purpose,
    String userAuthenticatorId,
    String ipAddress,
    byte[] codeHash,
    ChallengeState state,
    int sends,
    int failedAttempts,
    Instant createdAt,
    Instant lastSentAt,
    Instant expiresAt,
    Instant verifiedAt,
    Instant claimedAt,
    String claimedBy,
    List<OutboxEvent> outbox,
    List<String> sendSlots) {

  /** Field names used in queries and conditional updates. */
  static final String STATE = "state";

  static final String SENDS = "sends";
  static final String FAILED_ATTEMPTS = "failedAttempts";
  static final String CODE_HASH = "codeHash";
  static final String EXPIRES_AT = "expiresAt";
  static final String LAST_SENT_AT = "lastSentAt";
  static final String IDEMPOTENCY_KEY = "idempotencyKey";
  static final String SEND_SLOTS = "sendSlots";

  /** This challenge with the given pending events and send slots. */
  ChallengeDocument withPending(List<OutboxEvent> events, List<String> slots) {
    return new ChallengeDocument(
        id,
        verificationMethod,
        channel,
        phoneNumber,
        countryCode,
        action,
        userId,
        locale,
        idempotencyKey,
        purpose,
        userAuthenticatorId,
        ipAddress,
        codeHash,
        state,
        sends,
        failedAttempts,
        createdAt,
        lastSentAt,
        expiresAt,
        verifiedAt,
        claimedAt,
        claimedBy,
        events,
        slots);
  }

  boolean expiredAt(Instant now) {
    return !expiresAt.isAfter(now);
  }
}
