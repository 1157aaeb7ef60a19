package dev.signet.audit.query;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

@Schema(description = "A tracked action: decision, state changes and their rules.")
record ActionView(
    String userId,
    String actionCode,
    String idempotencyKey,
    @Schema(
            description =
                "Current state (last state change by event time); null before any state change",
            allowableValues = {
              "ALLOW",
              "BLOCK",
              "CHALLENGE_REQUIRED",
              "CHALLENGE_SUCCEEDED",
              "CHALLENGE_FAILED",
              "REVIEW_REQUIRED",
              "REVIEW_SUCCEEDED",
              "REVIEW_FAILED"
            })
        String state,
    Instant stateAt,
    @Schema(allowableValues = {"ALLOW", "BLOCK", "CHALLENGE", "REVIEW"}) String decision,
    List<String> ruleIds,
    Boolean defaultOutcome,
    Instant createdAt,
    Instant updatedAt,
    Instant trackedAt,
    Instant decidedAt,
    String ipAddress,
    String userAgent,
    String deviceId,
    List<String> challengeIds,
    List<Review> reviews,
    List<ManualChange> manualChanges,
    List<Step> steps,
    @Schema(
            description =
                "Where the user completed the action's challenge, when a client challenge did",
            allowableValues = {"CLIENT_API", "PREBUILT_UI"})
        String completedVia,
    @Schema(
            description =
                "The trace of the track request (W3C trace id), which its decision and challenge"
                    + " continue; null when that request was not traced")
        String traceId) {}
