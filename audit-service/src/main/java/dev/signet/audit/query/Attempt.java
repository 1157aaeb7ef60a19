package dev.signet.audit.query;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

@Schema(description = "One send of a challenge: request, dispatch, delivery, block or failure.")
record Attempt(
    int attempt,
    Instant requestedAt,
    Instant dispatchedAt,
    String provider,
    Integer segments,
    @Schema(description = "Latest delivery status reported for this send, by rank")
        String deliveryStatus,
    Instant deliveredAt,
    Long sendToDeliveryMillis,
    String blockedReason,
    String failureReason) {}
