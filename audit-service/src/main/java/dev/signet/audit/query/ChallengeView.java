package dev.signet.audit.query;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

@Schema(description = "A challenge: request, sends, receipts and verification joined.")
record ChallengeView(
    String challengeId,
    String userId,
    String action,
    String idempotencyKey,
    String purpose,
    String channel,
    String countryCode,
    String phoneNumberMasked,
    String userAuthenticatorId,
    boolean testTraffic,
    @Schema(allowableValues = {"PENDING", "EXPIRED", "FAILED", "VERIFIED", "CLAIMED"}) String state,
    @Schema(allowableValues = {"NONE", "BLOCKED", "FAILED", "SENT", "DELIVERED"}) String delivery,
    Instant createdAt,
    Instant updatedAt,
    Instant requestedAt,
    Instant expiresAt,
    Instant firstSentAt,
    Instant deliveredAt,
    Long timeToDeliveryMillis,
    Instant verifiedAt,
    Instant claimedAt,
    Instant expiredAt,
    int sendsRequested,
    int sendsDispatched,
    int sendsDelivered,
    int failedVerifications,
    @Schema(
            description =
                "True when a requested event naming this challenge was refused as tampered: its"
                    + " sealed code did not open for the number, attempt, channel or expiry it"
                    + " named (forged or altered on Kafka)")
        boolean tampered,
    @Schema(description = "How many distinct tampered requests named this challenge")
        int tamperedRequests,
    List<Attempt> attempts,
    List<Step> steps,
    @Schema(
            description =
                "The trace of the request that created the challenge (W3C trace id, 32 hex digits),"
                    + " which its first SMS continues; null when that request was not traced")
        String traceId,
    @Schema(
            description =
                "The trace's page in the trace backend, when audit-service is told where that is"
                    + " (SIGNET_DASHBOARD_TRACE_URL); null otherwise")
        String traceUrl) {}
