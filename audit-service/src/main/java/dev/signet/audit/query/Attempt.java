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
    String failureReason,
    @Schema(
            description =
                "Route that took the send (vonage-sms, vonage-messages, vonage-whatsapp,"
                    + " twilio-messaging), or for a failed send the last one called")
        String route,
    @Schema(
            description =
                "Failed provider calls before the outcome, route:reason separated by commas: why"
                    + " the send failed over; null when the first route took it")
        String routeFailures) {}
