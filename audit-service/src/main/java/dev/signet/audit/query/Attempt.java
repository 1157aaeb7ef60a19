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
        String routeFailures,
    @Schema(
            description =
                "Route of the fallback: the same code sent once more because the first message's"
                    + " delivery was not confirmed; null when no fallback was sent")
        String fallbackRoute,
    @Schema(
            description =
                "Why the (first) fallback was due: NO_DELIVERY_IN_WINDOW, DELIVERY_FAILED or"
                    + " OUTCOME_UNKNOWN; null when none was due")
        String fallbackReason,
    @Schema(
            description =
                "Why a fallback due for this send did not go out: CHALLENGE_EXPIRED,"
                    + " SEALED_CODE_INVALID, the failure of the last route called (CIRCUIT_OPEN,"
                    + " PROVIDER_ERROR, THROTTLED, TIMEOUT, REJECTED, ...) or FALLBACKS_EXHAUSTED"
                    + " (the last fallback allowed was not delivered either); null otherwise")
        String fallbackNotSent) {}
