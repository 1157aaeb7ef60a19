package dev.signet.challenge.challenge;

import dev.signet.challenge.challenge.domain.Challenge;
import dev.signet.challenge.challenge.domain.ChallengeState;
import dev.signet.challenge.challenge.domain.Channel;
import dev.signet.challenge.phone.PhoneNumber;
import dev.signet.platform.outbox.OutboxEvent;
import java.time.Instant;
import java.util.List;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A challenge as stored in MongoDB: the domain {@link Challenge} flattened into its fields, the
 * pending events of its latest change, and the per-phone send slots its sends took (see {@link
 * SendSlots}). Only {@link MongoChallengeStore} reads and writes it.
 */
@Document(ChallengeStore.COLLECTION)
record ChallengeDocument(
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

  /** Wrong codes plus comparisons in flight; the cap on it bounds a parallel burst. */
  static final String RESERVED_ATTEMPTS = "reservedAttempts";

  /** {@code challenge} as stored, with the events of its creation. */
  static ChallengeDocument of(Challenge c, List<OutboxEvent> events) {
    Challenge.Recipient to = c.recipient();
    Challenge.Context context = c.context();
    Challenge.Timeline times = c.timeline();
    return new ChallengeDocument(
        c.id(),
        to.verificationMethod(),
        to.channel().name(),
        c.phoneNumber(),
        c.countryCode(),
        context.action(),
        context.userId(),
        context.locale(),
        context.idempotencyKey(),
        context.purpose(),
        context.userAuthenticatorId(),
        context.ipAddress(),
        c.codeHash(),
        c.state(),
        c.sends(),
        c.failedAttempts(),
        times.createdAt(),
        times.lastSentAt(),
        times.expiresAt(),
        times.verifiedAt(),
        times.claimedAt(),
        c.claimedBy(),
        events,
        c.sendSlots());
  }

  /** The domain challenge this document stores. */
  Challenge toChallenge() {
    return new Challenge(
        id,
        new Challenge.Recipient(
            phoneNumber == null ? null : new PhoneNumber(phoneNumber, countryCode),
            Channel.valueOf(channel),
            verificationMethod),
        new Challenge.Context(
            action, userId, purpose, idempotencyKey, userAuthenticatorId, locale, ipAddress),
        codeHash,
        state,
        new Challenge.Counters(sends, failedAttempts),
        new Challenge.Timeline(createdAt, lastSentAt, expiresAt, verifiedAt, claimedAt),
        claimedBy,
        sendSlots);
  }
}
