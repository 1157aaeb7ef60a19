package dev.signet.challenge.challenge;

import dev.signet.challenge.outbox.OutboxEvent;
import java.time.Instant;
import java.util.List;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A challenge as stored: the code only as its HMAC, counters that the verify path updates
 * atomically, and the pending events of its latest change.
 */
@Document("challenges")
record ChallengeDocument(
    @Id String id,
    String verificationMethod,
    String channel,
    String phoneNumber,
    String action,
    String userId,
    String locale,
    String idempotencyKey,
    byte[] codeHash,
    int sends,
    int failedAttempts,
    Instant createdAt,
    Instant lastSentAt,
    Instant expiresAt,
    List<OutboxEvent> outbox) {}
